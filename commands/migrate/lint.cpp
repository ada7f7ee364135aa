#include "commands/migrate/lint.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <span>

#include "core/sql_splitter.hpp"

namespace spotctl::migrate {
namespace {

using sql::TokenKind;

constexpr std::string_view no_transaction_marker = "-- spotctl:no-transaction";

// A token reduced to what the rules compare.
struct Lexeme {
    TokenKind kind;
    std::string text;  // words lowercased, quoted identifiers unquoted, the rest as written

    // Only unquoted words are keywords: "index" in double quotes is a name.
    bool is(std::string_view keyword) const { return kind == TokenKind::word && text == keyword; }
    bool is_symbol(char c) const { return kind == TokenKind::symbol && text.size() == 1 && text[0] == c; }
    bool is_identifier() const { return kind == TokenKind::word || kind == TokenKind::quoted_identifier; }
};
using Lexemes = std::span<const Lexeme>;

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// "a""b" -> a"b; U&"..." keeps its escapes, which is close enough to compare names.
std::string unquote_identifier(std::string_view quoted) {
    if (quoted.size() >= 2 && (quoted[0] == 'U' || quoted[0] == 'u')) quoted.remove_prefix(2);
    quoted = quoted.substr(1, quoted.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < quoted.size(); ++i) {
        out += quoted[i];
        if (quoted[i] == '"') ++i;  // skip the second quote of a doubled pair
    }
    return out;
}

std::vector<Lexeme> lex(std::string_view text) {
    std::vector<Lexeme> out;
    for (const sql::Token& t : sql::tokenize(text)) {
        const std::string_view raw = text.substr(t.offset, t.length);
        if (t.kind == TokenKind::word) out.push_back({t.kind, ascii_lower(raw)});
        else if (t.kind == TokenKind::quoted_identifier) out.push_back({t.kind, unquote_identifier(raw)});
        else out.push_back({t.kind, std::string(raw)});
    }
    return out;
}

struct TableName {
    std::string schema;  // empty when the statement does not qualify the name
    std::string name;

    // Without a schema we cannot tell which one the search path picks, so an unqualified
    // name matches the same name in any schema.
    bool same_table(const TableName& other) const {
        return name == other.name && (schema.empty() || other.schema.empty() || schema == other.schema);
    }
};

// Quotes a name part unless it is a plain lowercase identifier, so messages stay unambiguous.
std::string display_part(const std::string& part) {
    const bool plain = !part.empty() && !(part[0] >= '0' && part[0] <= '9') &&
                       std::all_of(part.begin(), part.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                       });
    if (plain) return part;
    std::string out = "\"";
    for (char c : part) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string display(const TableName& table) {
    return table.schema.empty() ? display_part(table.name)
                                : display_part(table.schema) + "." + display_part(table.name);
}

// Reads a statement's lexemes front to back.
class Cursor {
public:
    explicit Cursor(Lexemes lexemes) : lexemes_(lexemes) {}

    bool at_end() const { return pos_ >= lexemes_.size(); }
    Lexemes rest() const { return lexemes_.subspan(std::min(pos_, lexemes_.size())); }

    bool next_is(std::string_view keyword, std::size_t ahead = 0) const {
        return pos_ + ahead < lexemes_.size() && lexemes_[pos_ + ahead].is(keyword);
    }

    // Consumes the keywords if they all come next, else nothing.
    bool accept(std::initializer_list<std::string_view> keywords) {
        std::size_t ahead = 0;
        for (std::string_view keyword : keywords)
            if (!next_is(keyword, ahead++)) return false;
        pos_ += keywords.size();
        return true;
    }
    bool accept(std::string_view keyword) { return accept({keyword}); }

    std::optional<std::string> identifier() {
        if (at_end() || !lexemes_[pos_].is_identifier()) return std::nullopt;
        return lexemes_[pos_++].text;
    }

    // name, schema.name or database.schema.name.
    std::optional<TableName> qualified_name() {
        std::optional<std::string> part = identifier();
        if (!part) return std::nullopt;
        TableName table{"", *part};
        while (pos_ + 1 < lexemes_.size() && lexemes_[pos_].is_symbol('.') && lexemes_[pos_ + 1].is_identifier()) {
            table.schema = table.name;
            table.name = lexemes_[pos_ + 1].text;
            pos_ += 2;
        }
        return table;
    }

private:
    Lexemes lexemes_;
    std::size_t pos_ = 0;
};

// Tracks parenthesis depth so rules only look at a clause's own level: the NOT NULL in
// CHECK (x IS NOT NULL) is not a column constraint.
class Depth {
public:
    void step(const Lexeme& l) {
        if (l.is_symbol('(')) ++depth_;
        else if (l.is_symbol(')') && depth_ > 0) --depth_;
    }
    bool top() const { return depth_ == 0; }

private:
    std::size_t depth_ = 0;
};

// Splits ALTER TABLE's action list at top-level commas.
std::vector<Lexemes> split_actions(Lexemes lexemes) {
    std::vector<Lexemes> actions;
    Depth depth;
    std::size_t start = 0;
    for (std::size_t i = 0; i < lexemes.size(); ++i) {
        if (depth.top() && lexemes[i].is_symbol(',')) {
            actions.push_back(lexemes.subspan(start, i - start));
            start = i + 1;
        }
        depth.step(lexemes[i]);
    }
    actions.push_back(lexemes.subspan(start));
    return actions;
}

bool has_top_level(Lexemes lexemes, std::string_view first, std::string_view second) {
    Depth depth;
    for (std::size_t i = 0; i + 1 < lexemes.size(); ++i) {
        if (depth.top() && lexemes[i].is(first) && lexemes[i + 1].is(second)) return true;
        depth.step(lexemes[i]);
    }
    return false;
}

bool is_one_of(const Lexeme& l, std::span<const std::string_view> keywords) {
    return std::any_of(keywords.begin(), keywords.end(), [&](std::string_view k) { return l.is(k); });
}

// Functions whose value differs per row, so a DEFAULT using them is evaluated for every
// existing row and rewrites the table. now() and friends are stable: PostgreSQL 11+ stores
// their one value in the catalog instead.
constexpr std::array<std::string_view, 11> volatile_functions{
    "random",           "random_normal",   "gen_random_uuid", "uuidv4",      "uuidv7",  "uuid_generate_v1",
    "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval",
};

constexpr std::array<std::string_view, 6> serial_types{"serial",  "serial4",  "bigserial",
                                                       "serial8", "smallserial", "serial2"};

// Words that end a DEFAULT expression inside a column definition.
constexpr std::array<std::string_view, 11> column_constraint_words{
    "not",     "null",       "constraint", "check",      "unique",   "primary",
    "references", "generated", "collate",  "deferrable", "initially",
};

// What matters about the definition that follows ADD COLUMN name.
struct ColumnDefinition {
    bool not_null = false;
    bool has_default = false;   // DEFAULT NULL does not count
    std::string volatile_call;  // a volatile function the default calls, e.g. "random()"
    bool serial = false;
    bool identity = false;
    bool references = false;
    bool not_valid = false;
};

// Reads a DEFAULT expression starting at `start`; returns where it ends.
std::size_t read_default(Lexemes def, std::size_t start, ColumnDefinition& column) {
    Depth depth;
    std::size_t i = start;
    for (; i < def.size(); ++i) {
        if (i > start && depth.top() && is_one_of(def[i], column_constraint_words)) break;
        const bool call = i + 1 < def.size() && def[i + 1].is_symbol('(');
        if (call && column.volatile_call.empty() && is_one_of(def[i], volatile_functions))
            column.volatile_call = def[i].text + "()";
        depth.step(def[i]);
    }
    column.has_default = !(i == start + 1 && def[start].is("null"));
    return i;
}

// GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY at def[i].
bool is_identity(Lexemes def, std::size_t i) {
    std::size_t k = i + 1;
    if (k < def.size() && def[k].is("always")) k += 1;
    else if (k + 1 < def.size() && def[k].is("by") && def[k + 1].is("default")) k += 2;
    else return false;
    return k + 1 < def.size() && def[k].is("as") && def[k + 1].is("identity");
}

ColumnDefinition analyse_column(Lexemes def) {
    ColumnDefinition column;
    column.serial = !def.empty() && is_one_of(def[0], serial_types);
    Depth depth;
    std::size_t i = 0;
    while (i < def.size()) {
        const Lexeme& l = def[i];
        const Lexeme* next = i + 1 < def.size() ? &def[i + 1] : nullptr;
        if (depth.top() && l.kind == TokenKind::word) {
            if (l.is("not") && next && next->is("null")) column.not_null = true;
            if (l.is("not") && next && next->is("valid")) column.not_valid = true;
            if (l.is("references")) column.references = true;
            if (l.is("generated") && is_identity(def, i)) column.identity = true;
            // The DEFAULT of GENERATED BY DEFAULT is not a column default.
            if (l.is("default") && !(i > 0 && def[i - 1].is("by"))) {
                i = read_default(def, i + 1, column);
                continue;
            }
        }
        depth.step(l);
        ++i;
    }
    return column;
}

// lock_timeout = 0 (or '0s', or DEFAULT) means wait forever, the very thing the rule is about.
bool is_zero_timeout(const Lexeme& value) {
    if (value.is("default")) return true;
    if (value.kind != TokenKind::number && value.kind != TokenKind::string) return false;
    std::string_view v = value.text;
    if (value.kind == TokenKind::string) v = v.substr(1, v.size() - 2);  // '...' always has both quotes
    const std::size_t digits_end = v.find_first_not_of('0');
    if (digits_end == 0) return false;
    const std::string_view unit = v.substr(std::min(digits_end, v.size()));
    return std::all_of(unit.begin(), unit.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == ' '; });
}

class Linter {
public:
    explicit Linter(bool no_transaction) : no_transaction_(no_transaction) {}

    void check(const sql::Statement& statement) {
        const std::vector<Lexeme> lexemes = lex(statement.text);
        line_ = statement.line;
        Cursor c{Lexemes(lexemes)};
        if (c.accept("create")) check_create(c);
        else if (c.accept({"drop", "index"})) check_drop_index(c);
        else if (c.accept("reindex")) check_reindex(c);
        else if (c.accept({"alter", "table"})) check_alter_table(c);
        else if (c.accept("set")) check_set(c);
        else if (c.accept("reset")) check_reset(c);
        else if (calls_set_config_lock_timeout(lexemes)) lock_timeout_set_ = true;
    }

    std::vector<LintFinding> take_findings() { return std::move(findings_); }

private:
    void report(std::string rule, std::string message, std::string hint) {
        findings_.push_back({std::move(rule), line_, std::move(message), std::move(hint)});
    }

    bool is_new(const TableName& table) const {
        return std::any_of(created_.begin(), created_.end(), [&](const TableName& t) { return t.same_table(table); });
    }

    // Every statement that locks an existing table calls this before its own rules.
    void locks(const TableName& table) {
        if (lock_timeout_set_ || lock_timeout_reported_) return;
        lock_timeout_reported_ = true;
        report("missing-lock-timeout",
               "statement locks existing table " + display(table) +
                   " but lock_timeout is not set, so while it waits for the lock every other query on the table "
                   "queues behind it",
               // SET LOCAL lasts only until the end of the transaction, which outside one is the statement.
               no_transaction_ ? "run SET lock_timeout = '5s' earlier in the file, and retry the migration if it "
                                 "times out"
                               : "run SET lock_timeout = '5s' (or SET LOCAL lock_timeout) earlier in the file, and "
                                 "retry the migration if it times out");
    }

    void check_create(Cursor& c) {
        c.accept({"or", "replace"});
        for (std::string_view word : {"global", "local", "temp", "temporary", "unlogged"}) c.accept(word);
        if (c.accept("table")) {
            c.accept({"if", "not", "exists"});
            if (std::optional<TableName> table = c.qualified_name()) created_.push_back(*table);
            return;
        }
        c.accept("unique");
        if (c.accept("index")) check_create_index(c);
    }

    void check_create_index(Cursor& c) {
        const bool concurrently = c.accept("concurrently");
        if (concurrently) concurrent_statement("CREATE INDEX CONCURRENTLY");
        c.accept({"if", "not", "exists"});
        if (!c.next_is("on")) c.qualified_name();  // the index name is optional
        if (!c.accept("on")) return;
        c.accept("only");
        const std::optional<TableName> table = c.qualified_name();
        if (concurrently || !table || is_new(*table)) return;
        locks(*table);
        report("index-not-concurrent",
               "creating an index on existing table " + display(*table) +
                   " without CONCURRENTLY blocks writes to it until the index is built",
               "use CREATE INDEX CONCURRENTLY, in a migration file whose first line is `" +
                   std::string(no_transaction_marker) + "`");
    }

    void check_drop_index(Cursor& c) {
        if (c.accept("concurrently")) concurrent_statement("DROP INDEX CONCURRENTLY");
    }

    void check_reindex(Cursor& c) {
        // CONCURRENTLY comes after the object kind, or in the (option, ...) list; unquoted it
        // is a reserved word, so it cannot be the name being reindexed.
        const Lexemes rest = c.rest();
        if (std::any_of(rest.begin(), rest.end(), [](const Lexeme& l) { return l.is("concurrently"); }))
            concurrent_statement("REINDEX CONCURRENTLY");
    }

    // Concurrent index builds refuse to run in a transaction block, so this fails at run
    // time whatever table it is on.
    void concurrent_statement(const std::string& what) {
        if (no_transaction_) return;
        report("concurrent-in-transaction",
               "this file runs in a transaction, where " + what + " fails",
               "make `" + std::string(no_transaction_marker) +
                   "` the first line of the file, or move the statement to a file of its own that starts with it");
    }

    void check_alter_table(Cursor& c) {
        c.accept({"if", "exists"});
        c.accept("only");
        if (c.next_is("all")) return;  // ALTER TABLE ALL IN TABLESPACE moves tables, no rule covers it
        const std::optional<TableName> table = c.qualified_name();
        if (!table || is_new(*table)) return;
        locks(*table);
        Lexemes rest = c.rest();
        if (!rest.empty() && rest[0].is_symbol('*')) rest = rest.subspan(1);  // ALTER TABLE t * ...
        for (Lexemes action : split_actions(rest)) check_action(*table, action);
    }

    void check_action(const TableName& table, Lexemes action) {
        Cursor c{action};
        if (c.accept("add")) {
            if (starts_constraint(c.rest())) check_add_constraint(table, c);
            else check_add_column(table, c);
        } else if (c.accept("alter")) {
            const bool column_keyword = c.accept("column");
            if (!column_keyword && c.next_is("constraint")) return;  // ALTER CONSTRAINT
            if (const std::optional<std::string> column = c.identifier()) check_alter_column(table, *column, c);
        }
    }

    static bool starts_constraint(Lexemes rest) {
        if (rest.empty()) return false;
        for (std::string_view word : {"constraint", "check", "unique", "primary", "foreign"})
            if (rest[0].is(word)) return true;
        // EXCLUDE is not reserved, so it could also be a column named exclude.
        return rest[0].is("exclude") && rest.size() > 1 && (rest[1].is_symbol('(') || rest[1].is("using"));
    }

    void check_add_constraint(const TableName& table, Cursor& c) {
        if (c.accept("constraint")) c.identifier();
        const bool foreign_key = c.next_is("foreign");
        const bool check = c.next_is("check");
        if (has_top_level(c.rest(), "not", "valid")) return;
        if (foreign_key) {
            report("foreign-key-without-not-valid",
                   "adding a foreign key to existing table " + display(table) +
                       " without NOT VALID checks every row while blocking writes to both tables",
                   "add the constraint with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later "
                   "migration");
        } else if (check) {
            report("check-without-not-valid",
                   "adding a check constraint to existing table " + display(table) +
                       " without NOT VALID checks every row while blocking all access to it",
                   "add the constraint with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later "
                   "migration");
        }
    }

    void check_add_column(const TableName& table, Cursor& c) {
        c.accept("column");
        c.accept({"if", "not", "exists"});
        const std::optional<std::string> name = c.identifier();
        if (!name) return;
        const std::string column = display_part(*name);
        const ColumnDefinition def = analyse_column(c.rest());
        const std::string where = " to existing table " + display(table);
        const std::string default_hint =
            "add the column without a default, set the default with ALTER COLUMN ... SET DEFAULT, then backfill "
            "existing rows in batches";
        if (def.not_null && !def.has_default && !def.serial && !def.identity) {
            report("add-column-not-null-without-default",
                   "adding NOT NULL column " + column + where + " without a default fails if the table has rows",
                   "add a DEFAULT, or add the column as nullable, backfill it, then make it NOT NULL");
        }
        if (!def.volatile_call.empty()) {
            report("add-column-volatile-default",
                   "adding column " + column + where + " with a default calling volatile " + def.volatile_call +
                       " rewrites the whole table under an ACCESS EXCLUSIVE lock",
                   default_hint);
        } else if (def.serial || def.identity) {
            report("add-column-volatile-default",
                   "adding " + std::string(def.serial ? "serial" : "identity") + " column " + column + where +
                       " fills every row from a sequence, rewriting the whole table under an ACCESS EXCLUSIVE lock",
                   "add a plain nullable column with a sequence default set afterwards, then backfill existing "
                   "rows in batches");
        }
        if (def.references && !def.not_valid) {
            report("foreign-key-without-not-valid",
                   "adding column " + column + where +
                       " with REFERENCES creates a foreign key without NOT VALID, blocking writes to both tables",
                   "add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, and "
                   "VALIDATE CONSTRAINT in a later migration");
        }
    }

    void check_alter_column(const TableName& table, const std::string& name, Cursor& c) {
        const std::string column = display_part(name);
        if (c.accept("type") || c.accept({"set", "data", "type"})) {
            report("alter-column-type",
                   "changing the type of column " + column + " on existing table " + display(table) +
                       " can rewrite the table and its indexes under an ACCESS EXCLUSIVE lock",
                   "add a new column, backfill it in batches and switch over to it, unless the change is known "
                   "not to rewrite (such as varchar(n) to text)");
        } else if (c.accept({"set", "not", "null"})) {
            report("set-not-null",
                   "setting column " + column + " NOT NULL on existing table " + display(table) +
                       " scans the whole table under an ACCESS EXCLUSIVE lock",
                   "add CHECK (" + column + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, "
                   "then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check");
        }
    }

    void check_set(Cursor& c) {
        if (!c.accept("session")) c.accept("local");
        if (!c.accept("lock_timeout")) return;
        if (!c.accept("to")) {
            const Lexemes rest = c.rest();
            if (!rest.empty() && rest[0].is_symbol('=')) c = Cursor(rest.subspan(1));
        }
        const Lexemes value = c.rest();
        lock_timeout_set_ = !value.empty() && !is_zero_timeout(value[0]);
    }

    void check_reset(Cursor& c) {
        if (c.accept("lock_timeout") || c.accept("all")) lock_timeout_set_ = false;
    }

    // SELECT set_config('lock_timeout', ...) does what SET does.
    static bool calls_set_config_lock_timeout(Lexemes lexemes) {
        for (std::size_t i = 0; i + 2 < lexemes.size(); ++i) {
            if (lexemes[i].is("set_config") && lexemes[i + 1].is_symbol('(') &&
                lexemes[i + 2].kind == TokenKind::string && ascii_lower(lexemes[i + 2].text) == "'lock_timeout'")
                return true;
        }
        return false;
    }

    bool no_transaction_;
    std::size_t line_ = 0;
    std::vector<TableName> created_;
    bool lock_timeout_set_ = false;
    bool lock_timeout_reported_ = false;
    std::vector<LintFinding> findings_;
};

}  // namespace

std::vector<LintFinding> lint(std::string_view script, bool no_transaction) {
    Linter linter(no_transaction);
    for (const sql::Statement& statement : sql::split(script)) linter.check(statement);
    return linter.take_findings();
}

}  // namespace spotctl::migrate
