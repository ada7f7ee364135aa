#pragma once
// Optional parts of spotctl that pull in large libraries (the PDF writer: pango, cairo, fontconfig;
// HTTP probes: libcurl) live in modules of their own, opened with dlopen the first time a
// command needs them. Every other command starts without loading those libraries at all.
//
// A module is looked for in $SPOTCTL_MODULE_DIR when that is set (and only there); otherwise in
// <prefix>/<libdir>/spotctl beside the running binary's <prefix>/bin (an installed tree, wherever
// its prefix is), then in the running binary's own directory (the build tree), then in the
// libdir spotctl was configured to install into.
#include <string_view>

#include "core/build_info.hpp"

namespace spotctl {

// The address of `symbol` in module `file` (e.g. "spotctl-pdf.so"), loaded on first use and kept
// for the life of the process. Error(Exit::unavailable) naming the module's path and `feature`
// ("PDF output") when the module is missing, cannot be loaded (a library it needs is not
// installed) or comes from another spotctl version.
void* module_symbol(std::string_view file, const char* symbol, std::string_view feature);

}  // namespace spotctl

// Each module's entry file says SPOTCTL_MODULE_VERSION once (no semicolon after it): the loader
// refuses a module left over from another version instead of calling it with a different layout
// of the types they share.
#define SPOTCTL_MODULE_VERSION \
    extern "C" const char* spotctl_module_version() { return ::spotctl::build::version; }
