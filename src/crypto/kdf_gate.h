// How many scrypt derivations run at once in this process (issue 8). A
// voter-chosen passcode is stretched with scrypt (about 100 ms and 32 MiB
// each); without a bound, a crowd of such submissions takes every core and
// every worker and the pages stop answering. The gate counts derivations
// in progress and refuses one more beyond its limit at once (no queue): the
// caller answers "busy, retry in a few seconds" (503 + Retry-After in the
// web layer) instead of waiting. HKDF (urna's generated passcodes) needs no
// gate. Thread safety: every function may be called from any thread.
#ifndef URNA_CRYPTO_KDF_GATE_H_
#define URNA_CRYPTO_KDF_GATE_H_

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>

#include "crypto/crypto.h"

namespace urna::crypto {

// Thrown by scrypt_gated when the gate is full. Nothing was derived; the
// message is public (it names no passcode).
class KdfBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A counting gate: at most limit() holders of a Permit at once; limit 0
// means no limit. try_enter never waits.
class Gate {
 public:
  explicit Gate(int limit = 0) : limit_(limit) {}
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  // One place in the gate, released when the Permit is destroyed (also by
  // an exception unwinding past it). Movable, not copyable.
  class Permit {
   public:
    Permit(Permit&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    ~Permit() {
      if (gate_) gate_->in_use_.fetch_sub(1, std::memory_order_acq_rel);
    }

   private:
    friend class Gate;
    explicit Permit(Gate* g) : gate_(g) {}
    Gate* gate_;
  };

  // A permit, or nullopt when limit() permits are held right now.
  std::optional<Permit> try_enter();
  // A new limit applies to the next try_enter; permits held stay valid.
  // REQUIRES: limit >= 0.
  void set_limit(int limit) { limit_.store(limit, std::memory_order_release); }
  int limit() const { return limit_.load(std::memory_order_acquire); }
  int in_use() const { return in_use_.load(std::memory_order_acquire); }

 private:
  std::atomic<int> limit_;
  std::atomic<int> in_use_{0};
};

// The process-wide gate of passcode scrypt derivations. Its limit is 0 (no
// limit) until the program sets it (urna.fcgi: scrypt_max_concurrent).
Gate& scrypt_gate();

// crypto::scrypt inside scrypt_gate(): throws KdfBusy, without deriving,
// when the gate is full; CryptoError as scrypt does.
std::string scrypt_gated(const std::string& password, const std::string& salt,
                         const ScryptParams& params, size_t length = 32);

}  // namespace urna::crypto

#endif  // URNA_CRYPTO_KDF_GATE_H_
