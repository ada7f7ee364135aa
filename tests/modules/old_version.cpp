// A module as spotctl 0.0.1 would have installed it (tests/CMakeLists.txt builds it as
// spotctl-pdf.so in a directory of its own): the loader must refuse it by its version.
extern "C" const char* spotctl_module_version() { return "0.0.1"; }
