#include "support/documented_commands.hpp"

#include <cctype>
#include <regex>
#include <sstream>
#include <utility>

#include "support/temp_dir.hpp"

namespace spotctl::test {

namespace {

using Lines = std::vector<std::pair<int, std::string>>;  // (1-based line number, text)

Lines numbered_lines(const std::string& text) {
    Lines lines;
    std::istringstream in(text);
    std::string l;
    int n = 0;
    while (std::getline(in, l)) lines.emplace_back(++n, l);
    return lines;
}

std::string trimmed(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool continues(const std::string& line) { return !line.empty() && line.back() == '\\'; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
    return s;
}

// The steps of one block. In console mode a command follows a `$ ` prompt and the lines after it,
// up to the next prompt, are its output; otherwise every line is a command. A command continues
// on the next line after a trailing backslash, as in the shell.
std::vector<DocStep> steps_of(const Lines& lines, bool console) {
    std::vector<DocStep> steps;
    std::optional<std::string> pending;  // a marker line waiting for its command
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& [number, raw] = lines[i];
        std::string text = console ? raw : trimmed(raw);
        bool prompt = text.rfind("$ ", 0) == 0;
        if (console && !prompt) {
            if (!steps.empty()) steps.back().shown.push_back(raw);
            continue;
        }
        if (text.empty()) continue;
        if (!console && text[0] == '#') {
            if (auto reason = illustrative_reason(text)) pending = reason;
            continue;
        }
        DocStep step;
        step.line = number;
        step.command = prompt ? text.substr(2) : text;
        while (continues(step.command) && i + 1 < lines.size()) step.command += "\n" + lines[++i].second;
        step.illustrative = illustrative_reason(step.command);
        if (!step.illustrative) step.illustrative = pending;
        pending.reset();
        steps.push_back(std::move(step));
    }
    return steps;
}

// The command without a trailing shell comment (a `#` after a blank, outside quotes).
std::string without_comment(const std::string& command) {
    char quote = 0;
    for (std::size_t i = 0; i < command.size(); ++i) {
        char c = command[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(command[i - 1])))) {
            return command.substr(0, i);
        }
    }
    return command;
}

// A cron line without its schedule (and user): `*/30 * * * * spotctl ...` -> `spotctl ...`.
std::string without_cron_fields(const std::string& command, int fields) {
    static const std::regex schedule(R"(^[-*/,0-9]+\s+([-*/,0-9A-Za-z]+\s+){3}[-*/,0-9A-Za-z]+\s+)");
    std::smatch m;
    if (!std::regex_search(command, m, schedule)) return command;
    std::string rest = command.substr(static_cast<std::size_t>(m.length(0)));
    if (fields == 6) rest = trimmed(rest.substr(rest.find_first_of(" \t")));  // the user field
    return replace_all(rest, "\\%", "%");  // cron's escape for a literal %
}

}  // namespace

bool runs_spotctl(const std::string& command) {
    static const std::regex invocation(R"((^|[\s;&|(<'"])spotctl(\s|$))");
    return std::regex_search(without_comment(command), invocation);
}

std::optional<std::string> illustrative_reason(const std::string& line) {
    static const std::regex marker(R"((^|\s)#\s*illustrative:\s*(.*\S)\s*$)");
    std::smatch m;
    if (std::regex_search(line, m, marker)) return m[2].str();
    return std::nullopt;
}

std::vector<DocBlock> markdown_blocks(const std::string& path, const std::string& label) {
    std::vector<DocBlock> blocks;
    Lines block;
    std::string fence;  // the open fence's language, "" outside a block
    bool open = false;
    for (const auto& [number, text] : numbered_lines(slurp(path))) {
        if (text.rfind("```", 0) != 0) {
            if (open) block.emplace_back(number, text);
            continue;
        }
        if (!open) {
            open = true;
            fence = text.substr(3);
            block.clear();
            continue;
        }
        open = false;
        if (fence != "console" && fence != "sh") continue;
        DocBlock b;
        b.source = label;
        b.steps = steps_of(block, fence == "console");
        blocks.push_back(std::move(b));
    }
    return blocks;
}

std::vector<DocBlock> scdoc_example_blocks(const std::string& path, const std::string& label) {
    std::vector<DocBlock> blocks;
    bool in_examples = false, open = false;
    Lines block;
    for (const auto& [number, text] : numbered_lines(slurp(path))) {
        if (!open && text.rfind("# ", 0) == 0) in_examples = text == "# EXAMPLES";
        if (!in_examples) continue;
        if (text.rfind("```", 0) != 0) {
            if (open) block.emplace_back(number, replace_all(text, "\\\\", "\\"));  // scdoc's escaped backslash
            continue;
        }
        open = !open;
        if (open) {
            block.clear();
            continue;
        }
        bool console = false;
        for (const auto& l : block) console = console || l.second.rfind("$ ", 0) == 0;
        DocBlock b;
        b.source = label;
        b.steps = steps_of(block, console);
        for (auto& s : b.steps) s.command = without_cron_fields(s.command, 5);
        blocks.push_back(std::move(b));
    }
    return blocks;
}

std::vector<DocBlock> crontab_blocks(const std::string& path, const std::string& label) {
    DocBlock b;
    b.source = label;
    b.shell = "sh";
    for (auto& s : steps_of(numbered_lines(slurp(path)), false)) {
        if (s.command.find('=') < s.command.find(' ')) continue;  // SHELL=, PATH=, MAILTO=
        s.command = without_cron_fields(s.command, 6);
        b.steps.push_back(std::move(s));
    }
    return {b};
}

std::vector<DocBlock> systemd_blocks(const std::string& path, const std::string& label) {
    DocBlock b;
    b.source = label;
    b.shell = "sh";
    std::optional<std::string> pending;
    static const std::regex prefix(R"(^[-@:+!]+)");
    for (const auto& [number, text] : numbered_lines(slurp(path))) {
        if (text.rfind('#', 0) == 0) {
            if (auto reason = illustrative_reason(text)) pending = reason;
            continue;
        }
        if (text.rfind("SuccessExitStatus=", 0) == 0) {
            std::istringstream codes(text.substr(text.find('=') + 1));
            for (int code = 0; codes >> code;) b.success_exits.insert(code);
            continue;
        }
        if (text.rfind("ExecStart=", 0) != 0) continue;
        DocStep s;
        s.line = number;
        s.command = std::regex_replace(text.substr(10), prefix, "");
        s.command = replace_all(replace_all(s.command, "%%", "%"), "/usr/bin/spotctl", "spotctl");
        s.illustrative = pending;
        pending.reset();
        b.steps.push_back(std::move(s));
    }
    return {b};
}

std::vector<DocBlock> help_example_blocks(const std::string& path, const std::string& label) {
    std::vector<DocBlock> blocks;
    static const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
    bool open = false;
    for (const auto& [number, text] : numbered_lines(slurp(path))) {
        std::string value;  // the line's string literals, unescaped
        for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it)
            value += replace_all(replace_all(replace_all((*it)[1].str(), "\\n", "\n"), "\\\"", "\""), "\\\\", "\\");
        Lines lines;
        std::istringstream in(value);
        for (std::string l; std::getline(in, l);)
            if (l.rfind("  ", 0) == 0 && runs_spotctl(l)) lines.emplace_back(number, l);
        if (lines.empty()) {
            open = false;
            continue;
        }
        if (!open) {
            blocks.emplace_back();
            blocks.back().source = label;
            open = true;
        }
        for (auto& step : steps_of(lines, false)) blocks.back().steps.push_back(std::move(step));
    }
    return blocks;
}

}  // namespace spotctl::test
