#pragma once
// A PDF a manager can forward, drawn with cairo and laid out with pango: the title, the
// parameters and filters, when it was generated, a bar or line chart of the report over time,
// then the rows as a table whose header repeats on every page, and "page N of M" in the
// footer. Any script (city and charger names in Devanagari, CJK, ...) through fontconfig's
// fallback (Noto, DejaVu). The document's metadata carries the title and dates; with the same
// Document (generated_epoch from SOURCE_DATE_EPOCH) and rows, the bytes are identical.
//
// It buffers the rows (the chart needs them all before the first page is drawn), so it is
// for reports, not for raw exports.
//
// pango and cairo are linked only into the module spotctl-pdf.so, built from this writer:
// make_writer(Format::pdf) loads it on first use (core/module.hpp) and, at the end, hands it the
// document, columns and rows across its C interface (exporters/pdf_module.cpp).
#include "exporters/row_writer.hpp"
#include "exporters/total_row.hpp"

namespace spotctl::exporters {

class PdfWriter : public RowWriter, public TotalRows {
public:
    PdfWriter(std::ostream& out, const WriterOptions& options);
    void begin(const std::vector<Column>& columns) override;
    void row(const std::vector<Cell>& cells) override;
    void total(const std::vector<Cell>& cells) override;
    // Renders and writes the document. Error(Exit::cant_write) when the output fails.
    void end() override;

private:
    std::ostream& out_;
    Document document_;
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
    std::size_t totals_ = 0;  // the last rows_ are totals
    bool ended_ = false;
};

// The module's entry point (a spotctl_pdf_render_fn of core/module_abi.h), looked up by this name.
inline constexpr const char* pdf_module_file = "spotctl-pdf.so";
inline constexpr const char* pdf_render_entry = "spotctl_pdf_render";

// "1234567.5" -> "1,234,567.5"; text that is not a plain number comes back unchanged.
std::string group_thousands(const std::string& number);

}  // namespace spotctl::exporters
