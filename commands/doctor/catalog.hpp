#pragma once
// A database's schema as comparable lines: one per object (table, column, index, constraint,
// trigger, function, view, sequence, type, extension), keyed by kind and qualified name, with its
// definition as PostgreSQL prints it. Extension members and spotctl's own bookkeeping tables are
// left out: they are not the platform's schema.
#include <map>
#include <string>
#include <vector>

#include "core/pg.hpp"

namespace spotctl::doctor {

using Catalog = std::map<std::string, std::string>;  // "index public.idx_users_email" -> definition

Catalog read_catalog(pg::Connection& db);

// "extra index public.x", "missing table public.y", "changed column public.users.email": what
// `live` has that `expected` lacks, the reverse, and objects defined differently.
std::vector<std::string> compare_catalogs(const Catalog& expected, const Catalog& live);

}  // namespace spotctl::doctor
