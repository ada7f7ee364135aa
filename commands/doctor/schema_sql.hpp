#pragma once
// Catalog queries shared by a schema check and its repair.

namespace spotctl::doctor::schema {

// INVALID indexes by qualified, quoted name (usable in DROP INDEX as it is).
inline constexpr const char* invalid_indexes_sql = R"(
SELECT format('%I.%I', n.nspname, c.relname) AS id
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT i.indisvalid)";

}  // namespace spotctl::doctor::schema
