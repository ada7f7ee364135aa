#pragma once
// What crosses between the spotctl binary and its modules (core/module.hpp): C types only. The
// binary carries its own copy of the C++ runtime (linked statically: binding libstdc++'s symbols
// at every start-up cost more than psql's whole start), the modules use the system's; C++
// objects (strings, streams, exceptions) of one copy must never reach the other. Strings are
// NUL-terminated UTF-8 and only borrowed for the call.
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Output of a module (a PDF, an HTTP body), handed over piece by piece; returns 0 when written.
typedef int (*spotctl_write_fn)(void* context, const char* data, size_t size);

// Why a module's call failed: an exit code of core/errors.hpp, a message and an optional hint.
struct spotctl_module_error {
    int code;
    char message[1024];
    char hint[512];
};

// spotctl-http.so: spotctl_http_get (core/http.hpp).
struct spotctl_http_request {
    const char* url;
    long timeout_ms;
    const char* ca_file;  // "" for the system's CA bundle
    int verify_tls;
    size_t max_body;
};

struct spotctl_http_response {
    int ok;                       // a response arrived (any status)
    long status;
    double total_ms;
    int has_certificate_days;     // https only
    long certificate_days_left;
    int timed_out;
    char error[1024];             // when !ok: what went wrong
};

// Never fails: network trouble is in response->error. The body goes to `body`.
typedef void (*spotctl_http_get_fn)(const struct spotctl_http_request* request, spotctl_write_fn body, void* body_context,
                                    struct spotctl_http_response* response);

// spotctl-pdf.so: spotctl_pdf_render (exporters/pdf_writer.hpp).
struct spotctl_pdf_column {
    const char* name;
    int type;  // exporters::CellType
};

struct spotctl_pdf_parameter {
    const char* name;
    const char* value;
};

struct spotctl_pdf_input {
    const char* title;
    const char* description;
    const struct spotctl_pdf_parameter* parameters;
    size_t parameter_count;
    const char* generated_at;
    long long generated_epoch;
    int has_chart;
    const char* chart_x;
    const char* chart_y;
    const char* chart_label;
    int chart_line;
    const char* const* notes;
    size_t note_count;
    const struct spotctl_pdf_column* columns;
    size_t column_count;
    const char* const* cells;  // row_count * column_count, row by row; NULL for SQL NULL
    size_t row_count;
    size_t total_row_count;    // the last rows that are totals (bold, not charted)
};

// Renders the whole document into `out`; returns 0, or fills `error` and returns its code.
typedef int (*spotctl_pdf_render_fn)(const struct spotctl_pdf_input* input, spotctl_write_fn out, void* out_context,
                                     struct spotctl_module_error* error);

#ifdef __cplusplus
}
#endif
