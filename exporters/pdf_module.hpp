#pragma once
// The PDF writer as the binary sees it: the rows are kept here and, at the end, handed with the
// document to the module spotctl-pdf.so across its C interface (core/module_abi.h), which lays
// out and writes the PDF (exporters/pdf_writer.hpp).
#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

// Loads the module now, so that a missing one is reported before any row is read:
// Error(Exit::unavailable) naming it.
std::unique_ptr<RowWriter> make_pdf_module_writer(std::ostream& out, const WriterOptions& options);

}  // namespace spotctl::exporters
