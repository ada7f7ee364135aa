#include "commands/fraud/rules.hpp"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <set>

#include "core/errors.hpp"

namespace spotctl::fraud {
namespace {

// Every rule's score: 0.6 at its threshold, rising with how far past it the finding is, 1 at
// twice the threshold. The ratio is observed / threshold (>= 1 for a finding).
#define SCORE(ratio) "greatest(0, least(1, 0.6 + 0.4 * ((" ratio ") - 1)))::numeric(5,4)"

// Great-circle distance in km between (lat1, lon1) and (lat2, lon2).
#define KM(lat1, lon1, lat2, lon2)                                                                          \
    "(2 * 6371 * asin(least(1, sqrt(power(sin(radians(" lat2 " - " lat1 ") / 2), 2) + cos(radians(" lat1 \
    ")) * cos(radians(" lat2 ")) * power(sin(radians(" lon2 " - " lon1 ") / 2), 2)))))"

// 1. Failed logins of one account: episodes of failures (a gap longer than the window starts a
// new one) whose busiest window holds max_failures or more.
constexpr const char* brute_force_sql = R"SQL(
WITH f AS (
    SELECT id, user_id, ip, created_at,
           count(*) OVER (PARTITION BY user_id ORDER BY created_at
                          RANGE BETWEEN CURRENT ROW AND make_interval(secs => $4::float8 * 60) FOLLOWING) AS in_window,
           lag(created_at) OVER (PARTITION BY user_id ORDER BY created_at, id) AS prev
      FROM login_attempts
     WHERE NOT success AND user_id IS NOT NULL AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
), e AS (
    SELECT f.*, sum(CASE WHEN prev IS NULL OR created_at - prev > make_interval(secs => $4::float8 * 60) THEN 1 ELSE 0 END)
                    OVER (PARTITION BY user_id ORDER BY created_at, id) AS episode
      FROM f
)
SELECT 'user' AS subject_type, user_id::text AS subject_id, min(created_at) AS window_start,
       greatest(max(created_at), min(created_at) + interval '1 second') AS window_end,
       )SQL" SCORE("max(in_window)::float8 / greatest($3::float8, 1)") R"SQL( AS score,
       jsonb_build_object(
           'summary', format('%s failed logins within %s minutes (threshold %s)', max(in_window), $4::float8, $3::float8),
           'failures_in_window', max(in_window), 'failures', count(*), 'threshold', $3::float8, 'window_minutes', $4::float8,
           'ips', to_jsonb(array_agg(DISTINCT host(ip))),
           'login_ids', to_jsonb((array_agg(id ORDER BY created_at))[1:50])) AS evidence
  FROM e
 GROUP BY user_id, episode
HAVING max(in_window) >= $3::float8
)SQL";

// 2. One address failing against many accounts: per address, episodes of failures; the busiest
// window of an episode counts distinct accounts (the account, or the e-mail typed when none matched).
constexpr const char* credential_stuffing_sql = R"SQL(
WITH f AS (
    SELECT id, ip, created_at, coalesce(lower(email::text), user_id::text, '?') AS account,
           lag(created_at) OVER (PARTITION BY ip ORDER BY created_at, id) AS prev
      FROM login_attempts
     WHERE NOT success AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
), e AS (
    SELECT f.*, sum(CASE WHEN prev IS NULL OR created_at - prev > make_interval(secs => $4::float8 * 60) THEN 1 ELSE 0 END)
                    OVER (PARTITION BY ip ORDER BY created_at, id) AS episode
      FROM f
), cand AS (
    SELECT ip, episode FROM e GROUP BY ip, episode HAVING count(DISTINCT account) >= $3::float8
), ce AS (
    SELECT e.* FROM e JOIN cand USING (ip, episode)
), peak AS (
    SELECT a.ip, a.episode, a.id, count(DISTINCT b.account) AS accounts
      FROM ce a JOIN ce b ON b.ip = a.ip AND b.episode = a.episode
                         AND b.created_at >= a.created_at AND b.created_at <= a.created_at + make_interval(secs => $4::float8 * 60)
     GROUP BY a.ip, a.episode, a.id
), hit AS (
    SELECT ip, episode, max(accounts) AS accounts FROM peak GROUP BY ip, episode HAVING max(accounts) >= $3::float8
)
SELECT 'ip' AS subject_type, host(ce.ip) AS subject_id, min(ce.created_at) AS window_start,
       greatest(max(ce.created_at), min(ce.created_at) + interval '1 second') AS window_end,
       )SQL" SCORE("max(hit.accounts)::float8 / greatest($3::float8, 1)") R"SQL( AS score,
       jsonb_build_object(
           'summary', format('%s accounts failed from one address within %s minutes (threshold %s)', max(hit.accounts), $4::float8, $3::float8),
           'accounts_in_window', max(hit.accounts), 'accounts', count(DISTINCT ce.account), 'failures', count(*),
           'threshold', $3::float8, 'window_minutes', $4::float8,
           'emails', to_jsonb((array_agg(DISTINCT ce.account))[1:50]),
           'login_ids', to_jsonb((array_agg(ce.id ORDER BY ce.created_at))[1:50])) AS evidence
  FROM ce JOIN hit USING (ip, episode)
 GROUP BY ce.ip, ce.episode
)SQL";

// 3. Two consecutive successful logins of one user further apart than anyone can travel in
// the time between them (a minute at least, so clock noise does not make speeds infinite).
constexpr const char* impossible_travel_sql = R"SQL(
WITH moved AS (
    -- Only users whose logins are spread wider than min_distance_km can have a far pair: a
    -- hash aggregate over the window instead of ordering every login by user and time. The
    -- spread in degrees times 111.2 km bounds every distance between the points from above.
    SELECT user_id
      FROM login_attempts
     WHERE success AND user_id IS NOT NULL AND latitude IS NOT NULL AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
     GROUP BY user_id
    HAVING (max(latitude) - min(latitude) + max(longitude) - min(longitude)) * 111.2 >= $4::float8
), s AS (
    SELECT id, user_id, ip, country, latitude, longitude, created_at,
           lag(id) OVER w AS prev_id, lag(latitude) OVER w AS prev_lat, lag(longitude) OVER w AS prev_lon,
           lag(created_at) OVER w AS prev_at, lag(ip) OVER w AS prev_ip, lag(country) OVER w AS prev_country
      FROM login_attempts
     WHERE success AND user_id IS NOT NULL AND latitude IS NOT NULL AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
       AND user_id IN (SELECT user_id FROM moved)
    WINDOW w AS (PARTITION BY user_id ORDER BY created_at, id)
), d AS (
    SELECT s.*, )SQL" KM("prev_lat", "prev_lon", "latitude", "longitude") R"SQL( AS km,
           extract(epoch FROM created_at - prev_at)::float8 AS secs
      FROM s WHERE prev_id IS NOT NULL
), v AS (
    SELECT d.*, km / (greatest(secs, 60) / 3600) AS kmh FROM d WHERE km >= $4::float8
), f AS (
    SELECT v.*, lag(created_at) OVER (PARTITION BY user_id ORDER BY created_at, id) AS prev_flag_end
      FROM v WHERE kmh > $3::float8
), g AS (
    -- Impossible legs that share a login (out and back) are one finding.
    SELECT f.*, sum(CASE WHEN prev_flag_end IS NULL OR prev_at > prev_flag_end THEN 1 ELSE 0 END)
                    OVER (PARTITION BY user_id ORDER BY created_at, id) AS episode
      FROM f
)
SELECT 'user' AS subject_type, user_id::text AS subject_id, min(prev_at) AS window_start,
       greatest(max(created_at), min(prev_at) + interval '1 second') AS window_end,
       )SQL" SCORE("max(kmh) / greatest($3::float8, 1)") R"SQL( AS score,
       jsonb_build_object(
           'summary', (array_agg(format('%s km in %s minutes: %s km/h (threshold %s km/h), %s to %s', round(km::numeric), round((secs / 60)::numeric),
                                        round(kmh::numeric), $3::float8, coalesce(prev_country, '?'), coalesce(country, '?')) ORDER BY kmh DESC))[1]
                      || CASE WHEN count(*) > 1 THEN format(' (%s impossible legs)', count(*)) ELSE '' END,
           'km', round(max(km)::numeric, 1), 'kmh', round(max(kmh)::numeric), 'legs', count(*),
           'threshold_kmh', $3::float8, 'ips', to_jsonb(array_agg(DISTINCT host(prev_ip)) || array_agg(DISTINCT host(ip))),
           'login_ids', to_jsonb(array_agg(prev_id ORDER BY created_at) || array_agg(id ORDER BY created_at))) AS evidence
  FROM g
 GROUP BY user_id, episode
)SQL";

// 4. Verifications of one user: episodes (a gap of an hour starts a new one) with more than
// max_per_hour in an hour, or two consecutive ones at chargers further apart than the user
// could have travelled (chargers' positions; at least min_distance_km apart).
constexpr const char* verification_velocity_sql = R"SQL(
WITH v AS (
    SELECT cv.id, cv.user_id, cv.charger_id, cv.created_at, c.latitude, c.longitude
      FROM charger_verifications cv JOIN chargers c ON c.id = cv.charger_id
     WHERE cv.created_at >= $1::timestamptz AND cv.created_at < $2::timestamptz
), w AS (
    SELECT v.*,
           count(*) OVER (PARTITION BY user_id ORDER BY created_at RANGE BETWEEN CURRENT ROW AND interval '1 hour' FOLLOWING) AS in_hour,
           lag(latitude) OVER o AS prev_lat, lag(longitude) OVER o AS prev_lon, lag(created_at) OVER o AS prev_at,
           lag(id) OVER o AS prev_id
      FROM v WINDOW o AS (PARTITION BY user_id ORDER BY created_at, id)
), x AS (
    SELECT w.*, CASE WHEN prev_at IS NULL THEN 0 ELSE )SQL" KM("prev_lat", "prev_lon", "latitude", "longitude") R"SQL( END AS km
      FROM w
), y AS (
    SELECT x.*,
           CASE WHEN prev_at IS NOT NULL AND km >= $5::float8 THEN km / (greatest(extract(epoch FROM created_at - prev_at)::float8, 60) / 3600) ELSE 0 END AS kmh,
           sum(CASE WHEN prev_at IS NULL OR created_at - prev_at > interval '1 hour' THEN 1 ELSE 0 END)
               OVER (PARTITION BY user_id ORDER BY created_at, id) AS episode
      FROM x
), z AS (
    SELECT y.*, (kmh > $4::float8) AS too_fast FROM y
)
SELECT 'user' AS subject_type, user_id::text AS subject_id,
       min(CASE WHEN too_fast THEN prev_at ELSE created_at END) AS window_start,
       greatest(max(created_at), min(CASE WHEN too_fast THEN prev_at ELSE created_at END) + interval '1 second') AS window_end,
       )SQL" SCORE("greatest(max(in_hour)::float8 / greatest($3::float8 + 1, 1), max(kmh) / greatest($4::float8, 1))") R"SQL( AS score,
       jsonb_build_object(
           'summary', CASE WHEN max(in_hour) > $3::float8
                           THEN format('%s verifications within an hour (more than %s is flagged)', max(in_hour), $3::float8)
                           ELSE format('two chargers %s km apart at %s km/h (threshold %s km/h)',
                                       round(max(km) FILTER (WHERE too_fast)::numeric), round(max(kmh)::numeric), $4::float8) END,
           'verifications_in_hour', max(in_hour), 'verifications', count(*), 'max_kmh', round(max(kmh)::numeric),
           'max_per_hour', $3::float8, 'max_speed_kmh', $4::float8,
           -- Every row the finding rests on: a fast leg more than an hour after the one before it
           -- opens a new episode, so that earlier verification is added from outside the episode.
           'verification_ids', to_jsonb((coalesce(array_agg(prev_id::text) FILTER (WHERE too_fast AND created_at - prev_at > interval '1 hour'), '{}')
                                         || array_agg(id::text ORDER BY created_at))[1:50])) AS evidence
  FROM z
 GROUP BY user_id, episode
HAVING max(in_hour) > $3::float8 OR bool_or(too_fast)
)SQL";

// 5. Users whose verifications mostly go to chargers added by accounts that verify theirs in
// return: the user's mutual partners, with the user, form a group of min_members or more, and
// at least min_share of the user's (min_verifications or more) verifications are inside it.
constexpr const char* verification_ring_sql = R"SQL(
WITH v AS (
    SELECT cv.id, cv.user_id AS verifier, c.added_by AS owner, cv.created_at
      FROM charger_verifications cv JOIN chargers c ON c.id = cv.charger_id
     WHERE cv.created_at >= $1::timestamptz AND cv.created_at < $2::timestamptz
), tot AS (
    SELECT verifier, count(*) AS n FROM v GROUP BY verifier HAVING count(*) >= $5::float8
), e AS (
    SELECT DISTINCT verifier, owner FROM v WHERE owner IS NOT NULL AND owner <> verifier
), m AS (
    SELECT e.verifier, e.owner AS partner FROM e JOIN e r ON r.verifier = e.owner AND r.owner = e.verifier
     WHERE e.verifier IN (SELECT verifier FROM tot)
), inside AS (
    SELECT v.verifier, count(*) AS k, min(v.created_at) AS ws, max(v.created_at) AS we,
           (array_agg(v.id::text ORDER BY v.created_at))[1:50] AS ids, array_agg(DISTINCT m.partner::text) AS partners
      FROM v JOIN m ON m.verifier = v.verifier AND m.partner = v.owner
     GROUP BY v.verifier
)
SELECT 'user' AS subject_type, i.verifier::text AS subject_id, i.ws AS window_start,
       greatest(i.we, i.ws + interval '1 second') AS window_end,
       )SQL" SCORE("1 + (i.k::float8 / t.n - $4::float8) / greatest(1 - $4::float8, 0.01)") R"SQL( AS score,
       jsonb_build_object(
           'summary', format('%s of %s verifications go to chargers of a group of %s accounts that verify each other (threshold %s%%)',
                             i.k, t.n, cardinality(i.partners) + 1, round(($4::float8 * 100)::numeric)),
           'inside', i.k, 'verifications', t.n, 'share', round((i.k::float8 / t.n)::numeric, 3),
           'group_size', cardinality(i.partners) + 1, 'min_share', $4::float8, 'min_members', $3::float8,
           'user_ids', to_jsonb(i.partners), 'verification_ids', to_jsonb(i.ids)) AS evidence
  FROM inside i JOIN tot t USING (verifier)
 WHERE cardinality(i.partners) + 1 >= $3::float8 AND i.k::float8 / t.n >= $4::float8
)SQL";

// 6. Verifications and reviews of a charger the user added, or that an account linked to the
// user added: one that signed in successfully from the same address or device (user agent)
// within link_days before the window's end, an address or device that at most
// max_shared_accounts accounts used (a household's, not an office's).
constexpr const char* self_dealing_sql = R"SQL(
WITH acts AS (
    SELECT 'verification' AS kind, cv.id::text AS id, cv.user_id AS actor, c.added_by AS owner, cv.created_at
      FROM charger_verifications cv JOIN chargers c ON c.id = cv.charger_id
     WHERE c.added_by IS NOT NULL AND cv.created_at >= $1::timestamptz AND cv.created_at < $2::timestamptz
    UNION ALL
    SELECT 'review', r.id::text, r.user_id, c.added_by, r.created_at
      FROM charger_reviews r JOIN chargers c ON c.id = r.charger_id
     WHERE c.added_by IS NOT NULL AND r.created_at >= $1::timestamptz AND r.created_at < $2::timestamptz
), pairs AS (
    SELECT DISTINCT actor, owner FROM acts WHERE actor <> owner
), keys AS (
    SELECT DISTINCT la.user_id, k.key
      FROM login_attempts la
      CROSS JOIN LATERAL (VALUES ('address ' || host(la.ip)), ('device ' || la.user_agent)) AS k(key)
     WHERE la.success AND la.user_id IS NOT NULL AND k.key IS NOT NULL
       AND la.created_at >= $1::timestamptz - $4::float8 * interval '1 day' AND la.created_at < $2::timestamptz
), private_keys AS (
    -- An address or device of a household, not an office or a carrier's NAT shared by many.
    SELECT key FROM keys GROUP BY key HAVING count(*) <= $5::float8
), links AS (
    SELECT keys.* FROM keys JOIN private_keys USING (key)
), linked AS (
    SELECT p.actor, p.owner, array_agg(DISTINCT a.key) AS shared
      FROM pairs p JOIN links a ON a.user_id = p.actor JOIN links b ON b.user_id = p.owner AND b.key = a.key
     GROUP BY p.actor, p.owner
), hits AS (
    SELECT acts.*, l.shared FROM acts LEFT JOIN linked l USING (actor, owner)
     WHERE acts.actor = acts.owner OR l.actor IS NOT NULL
)
SELECT 'user' AS subject_type, actor::text AS subject_id, min(created_at) AS window_start,
       greatest(max(created_at), min(created_at) + interval '1 second') AS window_end,
       (CASE WHEN bool_or(actor = owner) THEN 0.9 ELSE 0.8 END)::numeric(5,4) AS score,
       jsonb_build_object(
           'summary', CASE WHEN bool_or(actor = owner)
                           THEN format('%s verification(s)/review(s) of a charger the user added', count(*) FILTER (WHERE actor = owner))
                           ELSE format('%s verification(s)/review(s) of chargers added by a linked account (same %s)', count(*),
                                       (array_agg(shared[1]) FILTER (WHERE shared IS NOT NULL))[1]) END,
           'actions', count(*), 'own', count(*) FILTER (WHERE actor = owner), 'min_actions', $3::float8,
           'user_ids', to_jsonb(array_agg(DISTINCT owner::text) FILTER (WHERE owner <> actor)),
           'shared', to_jsonb(array_remove(array_agg(DISTINCT shared[1]), NULL)),
           'verification_ids', to_jsonb(array_remove(array_agg(id ORDER BY created_at) FILTER (WHERE kind = 'verification'), NULL)),
           'review_ids', to_jsonb(array_remove(array_agg(id ORDER BY created_at) FILTER (WHERE kind = 'review'), NULL))) AS evidence
  FROM hits
 GROUP BY actor
HAVING count(*) >= $3::float8
)SQL";

// 7. A card fingerprint used by min_accounts or more accounts within window_hours; and a user
// with min_payments or more payments of which min_refund_rate or more were refunded.
constexpr const char* card_sharing_sql = R"SQL(
WITH p AS (
    SELECT id, user_id, card_fingerprint AS fp, created_at
      FROM payments
     WHERE card_fingerprint IS NOT NULL AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
), cand AS (
    SELECT fp FROM p GROUP BY fp HAVING count(DISTINCT user_id) >= $3::float8
), cp AS (
    SELECT p.* FROM p JOIN cand USING (fp)
), peak AS (
    SELECT a.fp, a.id, count(DISTINCT b.user_id) AS accounts
      FROM cp a JOIN cp b ON b.fp = a.fp AND b.created_at >= a.created_at
                         AND b.created_at <= a.created_at + make_interval(secs => $4::float8 * 3600)
     GROUP BY a.fp, a.id
), hit AS (
    SELECT fp, max(accounts) AS accounts FROM peak GROUP BY fp HAVING max(accounts) >= $3::float8
), refunds AS (
    SELECT user_id, count(*) AS n, count(*) FILTER (WHERE status = 'refunded') AS refunded,
           min(created_at) AS ws, max(created_at) AS we, (array_agg(id::text ORDER BY created_at))[1:50] AS ids
      FROM payments
     WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz
     GROUP BY user_id
    HAVING count(*) >= $6::float8 AND count(*) FILTER (WHERE status = 'refunded')::float8 / count(*) >= $5::float8
)
SELECT 'card' AS subject_type, cp.fp AS subject_id, min(cp.created_at) AS window_start,
       greatest(max(cp.created_at), min(cp.created_at) + interval '1 second') AS window_end,
       )SQL" SCORE("max(hit.accounts)::float8 / greatest($3::float8, 1)") R"SQL( AS score,
       jsonb_build_object(
           'summary', format('one card used by %s accounts within %s hours (threshold %s)', max(hit.accounts), $4::float8, $3::float8),
           'accounts_in_window', max(hit.accounts), 'accounts', count(DISTINCT cp.user_id), 'threshold', $3::float8,
           'window_hours', $4::float8,
           'user_ids', to_jsonb(array_agg(DISTINCT cp.user_id::text)),
           'payment_ids', to_jsonb((array_agg(cp.id::text ORDER BY cp.created_at))[1:50])) AS evidence
  FROM cp JOIN hit USING (fp)
 GROUP BY cp.fp
UNION ALL
SELECT 'user', user_id::text, ws, greatest(we, ws + interval '1 second'),
       )SQL" SCORE("(refunded::float8 / n) / greatest($5::float8, 0.01)") R"SQL(,
       jsonb_build_object(
           'summary', format('%s of %s payments refunded (threshold %s%%)', refunded, n, round(($5::float8 * 100)::numeric)),
           'payments', n, 'refunded', refunded, 'refund_rate', round((refunded::float8 / n)::numeric, 3),
           'min_refund_rate', $5::float8, 'min_payments', $6::float8, 'payment_ids', to_jsonb(ids))
  FROM refunds
)SQL";

// 8. Logins and payments from an address inside an ip_blacklist range that was active at the
// time (no expiry, or expiring after the event). Ranges are matched with <<= (IPv4 and IPv6).
constexpr const char* blacklisted_ip_sql = R"SQL(
WITH bl AS (
    SELECT cidr, reason, expires_at,
           set_masklen(network(cidr)::inet, CASE family(cidr) WHEN 4 THEN 32 ELSE 128 END) AS low,
           set_masklen(broadcast(cidr), CASE family(cidr) WHEN 4 THEN 32 ELSE 128 END) AS high
      FROM ip_blacklist
), ev AS (
    SELECT 'login' AS kind, la.id::text AS id, la.ip, la.user_id, la.created_at, bl.cidr, bl.reason
      FROM bl JOIN login_attempts la
        -- The range as bounds, so the (ip, created_at) index is searched per range; <<= rechecks.
        ON la.ip BETWEEN bl.low AND bl.high AND la.ip <<= bl.cidr
     WHERE la.created_at >= $1::timestamptz AND la.created_at < $2::timestamptz AND (bl.expires_at IS NULL OR bl.expires_at > la.created_at)
    UNION ALL
    SELECT 'payment', p.id::text, p.ip, p.user_id, p.created_at, bl.cidr, bl.reason
      FROM bl JOIN payments p ON p.ip BETWEEN bl.low AND bl.high AND p.ip <<= bl.cidr
     WHERE p.created_at >= $1::timestamptz AND p.created_at < $2::timestamptz AND (bl.expires_at IS NULL OR bl.expires_at > p.created_at)
)
SELECT 'ip' AS subject_type, host(ip) AS subject_id, min(created_at) AS window_start,
       greatest(max(created_at), min(created_at) + interval '1 second') AS window_end,
       0.9::numeric(5,4) AS score,
       jsonb_build_object(
           'summary', format('%s login(s) and %s payment(s) from %s, inside blacklisted %s (%s)',
                             count(*) FILTER (WHERE kind = 'login'), count(*) FILTER (WHERE kind = 'payment'), host(ip),
                             (array_agg(DISTINCT cidr::text))[1], (array_agg(DISTINCT reason))[1]),
           'events', count(*), 'min_events', $3::float8,
           'ranges', to_jsonb(array_agg(DISTINCT cidr::text)), 'reasons', to_jsonb(array_agg(DISTINCT reason)),
           'user_ids', to_jsonb(array_remove(array_agg(DISTINCT user_id::text), NULL)),
           'login_ids', to_jsonb((array_agg(id::bigint ORDER BY created_at) FILTER (WHERE kind = 'login'))[1:50]),
           'payment_ids', to_jsonb((array_agg(id ORDER BY created_at) FILTER (WHERE kind = 'payment'))[1:50])) AS evidence
  FROM ev
 GROUP BY ip
HAVING count(*) >= $3::float8
)SQL";

}  // namespace

const std::vector<Rule>& rules() {
    static const std::vector<Rule> all = {
        {"brute_force", "user",
         "5 or more failed logins of one account within 15 minutes (the platform's MAX_LOGIN_ATTEMPTS and LOGIN_LOCKOUT_DURATION)",
         {{"max_failures", 5, "failed logins within the window that make a finding"},
          {"window_minutes", 15, "the sliding window, and the quiet gap that ends an episode"}},
         brute_force_sql},
        {"credential_stuffing", "ip",
         "one address failing against 10 or more distinct accounts (or typed e-mails) within an hour",
         {{"min_accounts", 10, "distinct accounts failing from one address within the window"},
          {"window_minutes", 60, "the sliding window, and the quiet gap that ends an episode"}},
         credential_stuffing_sql},
        {"impossible_travel", "user",
         "two consecutive successful logins of one user whose distance over time needs more than 900 km/h",
         {{"max_speed_kmh", 900, "speed between the two logins' geolocations above which they are impossible"},
          {"min_distance_km", 100, "pairs closer than this are geolocation noise and ignored"}},
         impossible_travel_sql},
        {"verification_velocity", "user",
         "more than 20 verifications by one user within an hour, or two in a row faster than 250 km/h apart",
         {{"max_per_hour", 20, "verifications within an hour above which it is flagged"},
          {"max_speed_kmh", 250, "travel speed between consecutive verified chargers above which it is flagged"},
          {"min_distance_km", 5, "consecutive chargers closer than this are not judged on speed"}},
         verification_velocity_sql},
        {"verification_ring", "user",
         "a group of 3 or more accounts verifying each other's chargers: 75% or more of a member's verifications inside it",
         {{"min_members", 3, "size of the group (the user and their mutual partners)"},
          {"min_share", 0.75, "share of the user's verifications that go to the group's chargers"},
          {"min_verifications", 4, "users with fewer verifications in the window are not judged"}},
         verification_ring_sql},
        {"self_dealing", "user",
         "verifying or reviewing a charger one added, or one added by an account on the same address or device",
         {{"min_actions", 1, "verifications and reviews of such chargers that make a finding"},
          {"link_days", 30, "how far back before the window's end logins link two accounts"},
          {"max_shared_accounts", 3, "an address or device used by more accounts (an office, a NAT) links none of them"}},
         self_dealing_sql},
        {"card_sharing", "card or user",
         "one card fingerprint used by 3 or more accounts within 24 hours; or 50% or more of a user's 5+ payments refunded",
         {{"min_accounts", 3, "accounts paying with one card within the window"},
          {"window_hours", 24, "the sliding window for accounts per card"},
          {"min_refund_rate", 0.5, "share of a user's payments refunded (normal is about 1%)"},
          {"min_payments", 5, "users with fewer payments in the window are not judged on refunds"}},
         card_sharing_sql},
        {"blacklisted_ip", "ip",
         "logins or payments from an address inside an ip_blacklist range that was active at the time",
         {{"min_events", 1, "logins and payments from the address that make a finding"}},
         blacklisted_ip_sql},
    };
    return all;
}

const Rule& find_rule(std::string_view name) {
    for (const auto& r : rules())
        if (r.name == name) return r;
    std::string names;
    for (const auto& r : rules()) names += (names.empty() ? "" : ", ") + std::string(r.name);
    throw Error(Exit::usage, fmt::format("unknown fraud rule '{}'", name), "the rules are: " + names);
}

std::vector<const Rule*> select_rules(const std::vector<std::string>& names) {
    std::set<std::string_view> wanted;
    for (const auto& n : names) wanted.insert(find_rule(n).name);
    std::vector<const Rule*> out;
    for (const auto& r : rules())
        if (wanted.empty() || wanted.count(r.name)) out.push_back(&r);
    return out;
}

std::optional<double> parse_threshold_value(std::string_view text) {
    std::string s(text);
    if (s.empty() || std::isspace(static_cast<unsigned char>(s.front())) || std::isspace(static_cast<unsigned char>(s.back())))
        return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
    return v;
}

std::pair<std::string, double> parse_threshold_assignment(std::string_view text, std::string_view what) {
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw Error(Exit::usage, fmt::format("{} '{}' is not NAME=VALUE", what, text));
    auto value = parse_threshold_value(text.substr(eq + 1));
    if (!value)
        throw Error(Exit::usage,
                    fmt::format("{} '{}': '{}' is not a non-negative number", what, text, text.substr(eq + 1)));
    return {std::string(text.substr(0, eq)), *value};
}

std::vector<double> resolve_thresholds(const Rule& rule, const Config& config, const std::vector<std::string>& overrides) {
    std::vector<double> values;
    for (const auto& t : rule.thresholds) values.push_back(t.default_value);
    auto index_of = [&](std::string_view name) -> long {
        for (std::size_t i = 0; i < rule.thresholds.size(); ++i)
            if (rule.thresholds[i].name == name) return static_cast<long>(i);
        return -1;
    };
    auto known = [&] {
        std::string names;
        for (const auto& t : rule.thresholds) names += (names.empty() ? "" : ", ") + std::string(t.name);
        return names;
    };
    std::string table = fmt::format("fraud.{}", rule.name);
    for (const auto& key : config.keys(table)) {
        std::string name = key;
        for (auto& c : name)
            if (c == '-') c = '_';
        long i = index_of(name);
        std::string dotted = fmt::format("{}.{}", table, key);
        if (i < 0)
            throw Error(Exit::config, fmt::format("{}: unknown threshold '{}' of fraud rule {}", config.where(dotted), key, rule.name),
                        "its thresholds are: " + known());
        auto text = config.value(dotted);
        auto v = text ? parse_threshold_value(*text) : std::nullopt;
        if (!v)
            throw Error(Exit::config, fmt::format("{}: {} must be a non-negative number, not '{}'", config.where(dotted), dotted,
                                                  text.value_or("")));
        values[static_cast<std::size_t>(i)] = *v;
    }
    for (const auto& o : overrides) {
        auto [name, value] = parse_threshold_assignment(o, "--threshold");
        long i = index_of(name);
        if (i < 0)
            throw Error(Exit::usage, fmt::format("--threshold {}: rule {} has no threshold '{}'", o, rule.name, name),
                        "its thresholds are: " + known());
        values[static_cast<std::size_t>(i)] = value;
    }
    return values;
}

std::string format_threshold(double value) {
    if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
    return fmt::format("{}", value);
}

}  // namespace spotctl::fraud
