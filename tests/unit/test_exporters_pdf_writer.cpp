// The PDF writer on its own: a valid document (qpdf --check), its text (pdftotext), page breaks
// with the header on every page, reproducible bytes, thousands separators, and write errors.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "exporters/pdf_writer.hpp"
#include "support/temp_dir.hpp"

using namespace spotctl::exporters;

namespace {

std::string render(const Document& doc, std::size_t rows) {
    std::ostringstream out;
    WriterOptions options;
    options.document = &doc;
    PdfWriter writer(out, options);
    writer.begin({{"day", CellType::text}, {"city", CellType::text}, {"amount", CellType::number}});
    for (std::size_t i = 0; i < rows; ++i)
        writer.row({"2026-01-" + std::to_string(i % 28 + 1), std::string(i % 2 ? "東京" : "पुणे"), std::to_string(1000 * i) + ".50"});
    writer.end();
    return out.str();
}

std::string shell(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    REQUIRE(::pclose(p) == 0);
    return out;
}

Document sample() {
    Document doc;
    doc.title = "Test report";
    doc.description = "A description";
    doc.parameters = {{"from", "2026-01-01"}, {"to", "2026-01-28"}};
    doc.generated_epoch = 1774000000;
    doc.generated_at = "2026-03-20T09:46:40Z";
    doc.chart = Chart{"day", "amount", "Amount", false};
    doc.notes = {"A footnote."};
    return doc;
}

}  // namespace

TEST_CASE("pdf: group_thousands separates the integer part of plain numbers only") {
    CHECK(group_thousands("1234567.50") == "1,234,567.50");
    CHECK(group_thousands("-1234") == "-1,234");
    CHECK(group_thousands("999") == "999");
    CHECK(group_thousands("0.001") == "0.001");
    CHECK(group_thousands("12a45") == "12a45");
    CHECK(group_thousands("") == "");
}

TEST_CASE("pdf: a valid document with title, parameters, Unicode cells, footnote and page numbers") {
    spotctl::test::TempDir dir;
    auto file = dir.write("a.pdf", render(sample(), 10));
    CHECK(shell("qpdf --check '" + file.string() + "' >/dev/null 2>&1; echo $?") == "0\n");
    std::string text = shell("pdftotext -layout '" + file.string() + "' -");
    for (const char* s : {"Test report", "A description", "from: 2026-01-01", "day", "city", "amount", "東京", "पुणे", "9,000.50",
                          "A footnote.", "Page 1 of 1", "Amount per day"}) {
        CAPTURE(s);
        CHECK(text.find(s) != std::string::npos);
    }
}

TEST_CASE("pdf: long tables break into pages, each with the header and 'page N of M'") {
    spotctl::test::TempDir dir;
    auto file = dir.write("long.pdf", render(sample(), 200));
    int pages = std::stoi(shell("pdfinfo '" + file.string() + "' | awk '/^Pages:/ {print $2}'"));
    REQUIRE(pages >= 4);
    for (int p = 1; p <= pages; ++p) {
        CAPTURE(p);
        std::string text = shell("pdftotext -layout -f " + std::to_string(p) + " -l " + std::to_string(p) + " '" + file.string() + "' -");
        CHECK(text.find("amount") != std::string::npos);
        CHECK(text.find("Page " + std::to_string(p) + " of " + std::to_string(pages)) != std::string::npos);
    }
    // Every row is somewhere: the last one too.
    CHECK(shell("pdftotext '" + file.string() + "' -").find("199,000.50") != std::string::npos);
}

TEST_CASE("pdf: the same document and rows give the same bytes, another generation time other bytes") {
    Document doc = sample();
    std::string a = render(doc, 50);
    std::string b = render(doc, 50);
    CHECK(a == b);
    doc.generated_epoch += 86400;
    CHECK(render(doc, 50) != a);
}

TEST_CASE("pdf: no rows gives one page that says so, without a chart") {
    spotctl::test::TempDir dir;
    auto file = dir.write("empty.pdf", render(sample(), 0));
    std::string text = shell("pdftotext '" + file.string() + "' -");
    CHECK(text.find("No rows for these parameters.") != std::string::npos);
    CHECK(text.find("Amount per day") == std::string::npos);
}

TEST_CASE("pdf: a failing output stream is an error, not a silent short file") {
    std::ofstream closed;  // never opened: every write fails
    WriterOptions options;
    Document doc = sample();
    options.document = &doc;
    PdfWriter writer(closed, options);
    writer.begin({{"x", CellType::text}});
    writer.row({std::string("y")});
    try {
        writer.end();
        FAIL("end() succeeded on a failed stream");
    } catch (const spotctl::Error& e) {
        CHECK(e.code() == spotctl::Exit::cant_write);
    }
}
