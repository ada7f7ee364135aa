// Cache namespace patterns ("user:{id}:profile") and the globs spotctl hands to SCAN MATCH: any
// pattern is accepted or refused with spotctl::Error, and every key the namespace claims also
// matches its glob under Redis's glob rules (fnmatch without flags is the same language), so a
// purge never misses keys the namespace owns.
#include <cstdint>
#include <fnmatch.h>
#include <string>

#include "rulebook/cache_keys.hpp"
#include "core/errors.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    // pattern \n key \n id
    auto first = input.find('\n');
    std::string pattern = input.substr(0, first);
    std::string rest = first == std::string::npos ? "" : input.substr(first + 1);
    auto second = rest.find('\n');
    std::string key = rest.substr(0, second);
    std::string id = second == std::string::npos ? "0b6f3c1e-8a2d-4c55-9e0f-1f2a3b4c5d6e" : rest.substr(second + 1);
    if (pattern.find('\0') != std::string::npos || key.find('\0') != std::string::npos || id.find('\0') != std::string::npos)
        return 0;  // Redis keys may hold NUL, but fnmatch cannot compare them
    try {
        spotctl::rulebook::Namespace ns("fuzz", pattern, spotctl::rulebook::Entity::user, std::nullopt);
        if (ns.matches(key)) FUZZ_CHECK(fnmatch(ns.glob().c_str(), key.c_str(), 0) == 0);
        // An entity's id fills a placeholder, so it is one or more characters other than ':'.
        if (!id.empty() && id.find(':') == std::string::npos) {
            auto keys = ns.keys_of(id);
            if (keys.exact_key) {
                FUZZ_CHECK(ns.matches(*keys.exact_key));
                FUZZ_CHECK(fnmatch(ns.glob().c_str(), keys.exact_key->c_str(), 0) == 0);
            } else {
                FUZZ_CHECK(!keys.glob.empty());
            }
        }
    } catch (const spotctl::Error&) {
    }
    return 0;
}
