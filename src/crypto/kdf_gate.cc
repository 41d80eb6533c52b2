#include "crypto/kdf_gate.h"

namespace urna::crypto {

std::optional<Gate::Permit> Gate::try_enter() {
  int cur = in_use_.load(std::memory_order_acquire);
  for (;;) {
    const int lim = limit();
    if (lim > 0 && cur >= lim) return std::nullopt;
    // On failure `cur` is reloaded and the limit checked again.
    if (in_use_.compare_exchange_weak(cur, cur + 1, std::memory_order_acq_rel)) return Permit(this);
  }
}

Gate& scrypt_gate() {
  static Gate gate;
  return gate;
}

std::string scrypt_gated(const std::string& password, const std::string& salt,
                         const ScryptParams& params, size_t length) {
  auto permit = scrypt_gate().try_enter();
  if (!permit)
    throw KdfBusy("too many passcode key derivations at once (" +
                  std::to_string(scrypt_gate().limit()) + " allowed)");
  return scrypt(password, salt, params, length);
}

}  // namespace urna::crypto
