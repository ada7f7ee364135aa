#include "cli/app.hpp"

int main(int argc, char** argv) { return spotctl::cli::run(argc, argv); }
