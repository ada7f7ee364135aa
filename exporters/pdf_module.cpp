#include "exporters/pdf_module.hpp"

#include <exception>

#include "core/errors.hpp"
#include "core/module.hpp"
#include "core/module_abi.h"
#include "exporters/pdf_writer.hpp"
#include "exporters/total_row.hpp"

namespace spotctl::exporters {
namespace {

struct Output {
    std::ostream* out;
    std::exception_ptr error;  // what the stream threw, rethrown here rather than inside the module
};

int write_to(void* context, const char* data, std::size_t size) {
    auto* output = static_cast<Output*>(context);
    try {
        output->out->write(data, static_cast<std::streamsize>(size));
        return *output->out ? 0 : -1;
    } catch (...) {
        output->error = std::current_exception();
        return -1;
    }
}

class PdfModuleWriter : public RowWriter, public TotalRows {
public:
    PdfModuleWriter(std::ostream& out, const WriterOptions& options) : out_(out) {
        static const auto entry = reinterpret_cast<spotctl_pdf_render_fn>(module_symbol(pdf_module_file, pdf_render_entry, "PDF output"));
        render_ = entry;
        if (options.document) document_ = *options.document;
    }
    void begin(const std::vector<Column>& columns) override { columns_ = columns; }
    void row(const std::vector<Cell>& cells) override {
        rows_.push_back(cells);
        rows_.back().resize(columns_.size());
    }
    void total(const std::vector<Cell>& cells) override {
        row(cells);
        ++totals_;
    }
    void end() override;

private:
    std::ostream& out_;
    spotctl_pdf_render_fn render_;
    Document document_;
    std::vector<Column> columns_;
    std::vector<std::vector<Cell>> rows_;
    std::size_t totals_ = 0;
    bool ended_ = false;
};

void PdfModuleWriter::end() {
    if (ended_) return;
    ended_ = true;
    std::vector<spotctl_pdf_parameter> parameters;
    for (const auto& [name, value] : document_.parameters) parameters.push_back({name.c_str(), value.c_str()});
    std::vector<const char*> notes;
    for (const auto& note : document_.notes) notes.push_back(note.c_str());
    std::vector<spotctl_pdf_column> columns;
    for (const auto& c : columns_) columns.push_back({c.name.c_str(), static_cast<int>(c.type)});
    std::vector<const char*> cells;
    cells.reserve(rows_.size() * columns_.size());
    for (const auto& row : rows_)
        for (const auto& cell : row) cells.push_back(cell ? cell->c_str() : nullptr);
    const Chart* chart = document_.chart ? &*document_.chart : nullptr;
    spotctl_pdf_input in{document_.title.c_str(), document_.description.c_str(), parameters.data(), parameters.size(),
                         document_.generated_at.c_str(), document_.generated_epoch, chart ? 1 : 0,
                         chart ? chart->x.c_str() : "", chart ? chart->y.c_str() : "", chart ? chart->label.c_str() : "",
                         chart && chart->line ? 1 : 0, notes.data(), notes.size(), columns.data(), columns.size(),
                         cells.data(), rows_.size(), totals_};
    Output output{&out_, nullptr};
    spotctl_module_error error{};
    int code = render_(&in, write_to, &output, &error);
    if (output.error) std::rethrow_exception(output.error);
    if (code != 0) throw Error(static_cast<Exit>(code), error.message, error.hint);
    out_.flush();
}

}  // namespace

std::unique_ptr<RowWriter> make_pdf_module_writer(std::ostream& out, const WriterOptions& options) {
    return std::make_unique<PdfModuleWriter>(out, options);
}

}  // namespace spotctl::exporters
