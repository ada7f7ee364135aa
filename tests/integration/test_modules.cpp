// Start-up loads only what every command needs: the PDF writer (pango, cairo, fontconfig) and the
// HTTP client (libcurl) are modules opened on first use (core/module.hpp). Without them, the
// features that need them fail with one line naming the module, and nothing else is affected.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <regex>

#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string migrations = std::string(SPOTCTL_SOURCE_DIR) + "/migrations";

RunResult with_modules_in(const std::filesystem::path& dir, std::vector<std::string> args) {
    return run_spotctl(args, {{"SPOTCTL_MODULE_DIR", dir.string()}, {"SPOTCTL_MIGRATIONS_DIR", migrations}});
}

std::vector<std::string> pdf_report(const TempDatabase& db, const std::filesystem::path& target) {
    return {"--database-url", db.url(), "-o", "pdf", "report", "run", "revenue", "--from", "2026-03-01", "--to", "2026-03-02",
            "--output-file", target.string()};
}

// Exit 69 and one error line starting with `expected`, then the hint.
void require_one_line_error(const RunResult& r, const std::string& expected) {
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 69);
    auto end = r.err.find('\n');
    REQUIRE(end != std::string::npos);
    REQUIRE(r.err.rfind("spotctl: error: " + expected, 0) == 0);
    std::string rest = r.err.substr(end + 1);
    CHECK(rest.rfind("spotctl: hint: ", 0) == 0);
    CHECK(std::count(rest.begin(), rest.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("the binary itself links no PDF or HTTP library", "[modules]") {
    auto ldd = run_shell(fmt::format("ldd '{}'", SPOTCTL_BINARY));
    REQUIRE(ldd.exit_code == 0);
    REQUIRE(ldd.out.find("libpq.so") != std::string::npos);  // the listing is real
    for (const char* lib : {"pango", "cairo", "fontconfig", "harfbuzz", "freetype", "glib", "curl"}) {
        CAPTURE(lib);
        CHECK(ldd.out.find(lib) == std::string::npos);
    }
}

TEST_CASE("with the PDF module missing, -o pdf fails naming it and writes nothing, while CSV and health still work", "[modules]") {
    TempDatabase db("spotctl_template");
    TempDir empty;
    TempDir out;
    auto target = out / "revenue.pdf";
    auto pdf = with_modules_in(empty.path(), pdf_report(db, target));
    require_one_line_error(pdf, fmt::format("PDF output is unavailable: no spotctl-pdf.so in {}\n", empty.path().string()));
    CHECK(pdf.err.find("SPOTCTL_MODULE_DIR") != std::string::npos);  // the hint says where to point it
    CHECK(std::filesystem::is_empty(out.path()));

    auto csv = with_modules_in(empty.path(), {"--database-url", db.url(), "-o", "csv", "report", "run", "revenue", "--from",
                                              "2026-03-01", "--to", "2026-03-02"});
    INFO(csv.err);
    CHECK(csv.exit_code == 0);
    CHECK(csv.out.find("period") < csv.out.find('\n'));               // the header
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 4);  // one row a day, and the totals row
    CHECK(csv.out.find("\nTOTAL,") != std::string::npos);

    auto health = with_modules_in(empty.path(), {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"),
                                                 "health", "postgres", "redis"});
    INFO(health.out << health.err);
    CHECK(health.exit_code == 0);
}

TEST_CASE("with the HTTP module missing, an HTTP probe is UNKNOWN naming it while the other probes run", "[modules]") {
    TempDatabase db("spotctl_template");
    TempDir empty;
    auto r = with_modules_in(empty.path(), {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"), "health",
                                            "--http", "api=http://127.0.0.1:1/health"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 3);
    CHECK(std::regex_search(r.out, std::regex(R"(postgres\s+primary\s+OK)")));
    CHECK(std::regex_search(r.out, std::regex(R"(redis\s+redis\s+OK)")));
    CHECK(r.out.find(fmt::format("HTTP probing is unavailable: no spotctl-http.so in {}", empty.path().string())) != std::string::npos);
}

TEST_CASE("a module that cannot be loaded, or that another version left behind, is refused with its path", "[modules]") {
    TempDatabase db("spotctl_template");
    TempDir out;
    auto target = out / "revenue.pdf";
    SECTION("not a shared object") {
        TempDir dir;
        auto module = dir.write("spotctl-pdf.so", "not an ELF file\n");
        auto r = with_modules_in(dir.path(), pdf_report(db, target));
        require_one_line_error(r, fmt::format("PDF output is unavailable: cannot load {}: ", module.string()));
    }
    SECTION("from spotctl 0.0.1") {
        std::filesystem::path dir = SPOTCTL_OLD_MODULE_DIR;
        auto r = with_modules_in(dir, pdf_report(db, target));
        require_one_line_error(r, fmt::format("PDF output is unavailable: {} is from spotctl 0.0.1, this is spotctl ",
                                              (dir / "spotctl-pdf.so").string()));
    }
    CHECK(std::filesystem::is_empty(out.path()));
}

TEST_CASE("SPOTCTL_MODULE_DIR pointing at the build's modules writes the PDF", "[modules]") {
    TempDatabase db("spotctl_template");
    TempDir out;
    auto target = out / "revenue.pdf";
    auto r = with_modules_in(std::filesystem::path(SPOTCTL_BINARY).parent_path(), pdf_report(db, target));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(run_shell(fmt::format("qpdf --check '{}' >/dev/null 2>&1", target.string())).exit_code == 0);
}
