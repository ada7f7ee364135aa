#include "commands/locks/locks.hpp"

#include "core/job_lock.hpp"

namespace spotctl::locks {

int list(Context& ctx) {
    using exporters::CellType;
    auto writer = ctx.writer();
    writer->begin({{"job"}, {"pid", CellType::integer}, {"application_name"}, {"client"}, {"since"}});
    for (const auto& h : current_job_locks(ctx.db()))
        writer->row({h.job, std::to_string(h.pid), h.application_name, h.client, h.since});
    writer->end();
    return 0;
}

}  // namespace spotctl::locks
