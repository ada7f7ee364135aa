#pragma once
// Finding people: `user find TEXT` (e-mail, name, phone or id prefix) and `user list` by status
// and role, for support staff who have a name or a phone number rather than an id.
#include <string>

#include "core/context.hpp"

namespace spotctl::user {

struct FindOptions {
    std::string text;  // part of an e-mail or name (any case), 4+ digits of a phone, or an id prefix
    long limit = 50;
};
int find(Context& ctx, const FindOptions& options);

struct ListOptions {
    std::string status;  // active, suspended, banned, deleted; empty: any
    std::string role;    // user, operator, moderator, admin; empty: any
    long limit = 100;
};
int list(Context& ctx, const ListOptions& options);

}  // namespace spotctl::user
