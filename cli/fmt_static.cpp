// fmt's compiled part (what libfmt.so holds), for a binary that links its C++ runtime statically
// (SPOTCTL_STATIC_LIBS in CMakeLists.txt): libfmt.so would load the shared libstdc++ beside it.
// Debian ships no libfmt.a, and fmt's header-only mode would recompile fmt in every file. These
// are the instantiations of fmt 9's own src/format.cc; another fmt needs its own list (or
// -DSPOTCTL_STATIC_LIBS=OFF).
#include <fmt/format-inl.h>

#if FMT_VERSION < 90000 || FMT_VERSION >= 100000
#error "cli/fmt_static.cpp lists fmt 9's instantiations: build with -DSPOTCTL_STATIC_LIBS=OFF, or update it"
#endif

FMT_BEGIN_NAMESPACE
namespace detail {
template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view, basic_format_args<FMT_BUFFER_CONTEXT(char)>, locale_ref);
}  // namespace detail
FMT_END_NAMESPACE
