#include "auth/login_rate_limiter.hpp"

#include <algorithm>

#include "core/backoff.hpp"

namespace kiln::auth {

namespace {

constexpr std::string_view kSelect = R"sql(
    SELECT key, blocked_until FROM login_attempts
    WHERE key IN ($1, $2) AND expires_at > $3 AND blocked_until IS NOT NULL AND blocked_until > $3)sql";
// An expired row starts again from one failure, unblocked.
constexpr std::string_view kCountFailure = R"sql(
    INSERT INTO login_attempts (key, failures, blocked_until, expires_at) VALUES ($1, 1, NULL, $3)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_attempts.expires_at <= $2 THEN 1 ELSE login_attempts.failures + 1 END,
        blocked_until = CASE WHEN login_attempts.expires_at <= $2 THEN NULL ELSE login_attempts.blocked_until END,
        expires_at = $3
    RETURNING failures)sql";
constexpr std::string_view kBlock = "UPDATE login_attempts SET blocked_until = $2 WHERE key = $1";
constexpr std::string_view kDelete = "DELETE FROM login_attempts WHERE key = $1";
constexpr std::string_view kPurge = "DELETE FROM login_attempts WHERE expires_at <= $1";

constexpr std::chrono::seconds kFirstBackOff{2};
constexpr int64_t kAddressFactor = 4;  // an office behind one NAT address has many users
constexpr int64_t kAttackFactor = 2;   // account failures from anywhere before every address backs off early
constexpr auto kPurgeInterval = std::chrono::minutes(1);

std::string PairKey(const std::string& account, const std::string& address) {
    return "pair:" + account + "|" + address;
}

}  // namespace

int LoginRateLimiter::RetryAfterSeconds(db::Database& db, const std::string& account, const std::string& address,
                                        Timestamp now) const {
    auto tx = db.Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    Timestamp until = now;
    for (const auto& row : tx.Exec(kSelect, {PairKey(account, address), "address:" + address, now}))
        until = std::max(until, row.Get<Timestamp>("blocked_until"));
    if (until <= now) return 0;
    return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(until - now).count());
}

void LoginRateLimiter::RecordFailure(db::Database& db, const std::string& account, const std::string& address,
                                     Timestamp now) {
    auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    const int64_t account_failures = CountFailure(tx, "account:" + account, now);
    const bool under_attack = account_failures >= kAttackFactor * max_failures_;
    const std::string pair = PairKey(account, address);
    BackOff(tx, pair, CountFailure(tx, pair, now), under_attack ? 1 : max_failures_, now);
    const std::string address_key = "address:" + address;
    BackOff(tx, address_key, CountFailure(tx, address_key, now), kAddressFactor * max_failures_, now);
    PurgeExpired(tx, now);
    tx.Commit();
}

void LoginRateLimiter::RecordSuccess(db::Database& db, const std::string& account, const std::string& address) const {
    auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    tx.Exec(kDelete, {PairKey(account, address)});
    tx.Commit();
}

int64_t LoginRateLimiter::CountFailure(db::Transaction& tx, const std::string& key, Timestamp now) const {
    const Timestamp expires = now + std::chrono::duration_cast<std::chrono::microseconds>(window_);
    return tx.Exec(kCountFailure, {key, now, expires}).front().Get<int64_t>("failures");
}

void LoginRateLimiter::BackOff(db::Transaction& tx, const std::string& key, int64_t failures, int64_t threshold,
                               Timestamp now) const {
    if (failures < threshold) return;
    // Past 2^30 doublings every window is reached long before; the clamp only keeps the int safe.
    const auto doublings = static_cast<int>(std::min<int64_t>(failures - threshold, 1 << 30));
    const auto delay = backoff::Exponential(kFirstBackOff, doublings, window_);
    tx.Exec(kBlock, {key, now + std::chrono::duration_cast<std::chrono::microseconds>(delay)});
}

void LoginRateLimiter::PurgeExpired(db::Transaction& tx, Timestamp now) {
    const int64_t now_us = now.time_since_epoch().count();
    int64_t last = last_purge_us_.load();
    const int64_t interval_us = std::chrono::duration_cast<std::chrono::microseconds>(kPurgeInterval).count();
    if (now_us - last < interval_us || !last_purge_us_.compare_exchange_strong(last, now_us)) return;
    tx.Exec(kPurge, {now});
}

}  // namespace kiln::auth
