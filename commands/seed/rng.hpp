#pragma once
// Deterministic randomness for synthetic data. Every entity draws from its own stream,
// keyed by (seed, kind, index), so any table can be regenerated alone and two runs with one
// seed produce the same bytes, whatever order the tables are written in.
#include <cmath>
#include <cstdint>
#include <string_view>

namespace spotctl::seed {

inline std::uint64_t mix64(std::uint64_t x) {  // splitmix64's finaliser
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

inline constexpr std::uint64_t tag(std::string_view kind) {  // FNV-1a of a stream's name
    std::uint64_t h = 1469598103934665603ull;
    for (char c : kind) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}

class Rng {
public:
    Rng(std::uint64_t seed, std::string_view kind, std::uint64_t index)
        : state_(mix64(seed ^ mix64(tag(kind) ^ mix64(index)))) {}

    std::uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ull); }
    // Uniform in [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
    // Uniform in [lo, hi].
    long long between(long long lo, long long hi) { return lo + static_cast<long long>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
    double unit() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    // Exponential with the given mean.
    double exponential(double mean) { return -mean * std::log(1.0 - unit()); }
    template <typename T, std::size_t N>
    const T& pick(const T (&items)[N]) { return items[below(N)]; }

private:
    std::uint64_t state_;
};

}  // namespace spotctl::seed
