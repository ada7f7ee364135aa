#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "core/errors.hpp"
#include "exporters/document.hpp"

using namespace spotctl;
using namespace spotctl::exporters;

namespace {

std::string render(Format format, const std::string& json) {
    std::ostringstream out;
    write_document(out, format, json, "thing show");
    return out.str();
}

}  // namespace

TEST_CASE("document: table form is indented key: value lines, lists of flat records one line each", "[exporters]") {
    std::string json = R"({"item": {"id": "i1", "note": null}, "history": [{"at": "T1", "action": "a.b"}], "empty": [], "n": 3})";
    REQUIRE(render(Format::table, json) ==
            "item:\n"
            "  id: i1\n"
            "  note: -\n"
            "history: \n"
            "  - at=T1  action=a.b\n"
            "empty: (none)\n"
            "n: 3\n");
}

TEST_CASE("document: every record reads identity, status, details, times, then nested parts", "[exporters]") {
    // As jsonb_build_object hands it over: keys sorted by length.
    // The sections keep the command's order.
    std::string json = R"({"risk": null, "profile": {"id": 1, "name": "N", "role": "user", "email": "e@x", "status": "suspended",
        "created_at": "T0", "is_guest": false, "suspension": "lapsed", "history": [{"actor": "a", "action": "x", "at": "T1"}]}})";
    REQUIRE(render(Format::table, json) ==
            "risk: -\n"
            "profile:\n"
            "  id: 1\n"
            "  email: e@x\n"
            "  name: N\n"
            "  status: suspended\n"
            "  suspension: lapsed\n"
            "  role: user\n"
            "  is_guest: false\n"
            "  created_at: T0\n"
            "  history: \n"
            "    - at=T1  actor=a  action=x\n");
    // -o json in the same order, so the two forms read alike.
    auto shown = render(Format::json, json);
    REQUIRE(shown.find("\"email\"") < shown.find("\"name\""));
    REQUIRE(shown.find("\"suspension\"") < shown.find("\"role\""));
}

TEST_CASE("document: json keeps the document and its key order, csv is refused", "[exporters]") {
    std::string json = R"({"b": 1, "a": {"z": true, "y": [1, 2]}})";
    REQUIRE(render(Format::json, json) == "{\n  \"b\": 1,\n  \"a\": {\n    \"z\": true,\n    \"y\": [\n      1,\n      2\n    ]\n  }\n}\n");
    try {
        render(Format::csv, json);
        FAIL("csv was accepted");
    } catch (const Error& e) {
        REQUIRE(e.code() == Exit::usage);
        REQUIRE(std::string(e.what()) == "thing show has no CSV output");
    }
}
