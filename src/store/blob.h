// Large values (snapshot JSON, results, ballot exports) are stored
// zlib-compressed behind a magic prefix, so a 20 MB snapshot fits in one
// MySQL packet (max_allowed_packet, 16 MiB by default) several times over.
// Values written before compression (no prefix) read back unchanged.
#ifndef URNA_STORE_BLOB_H_
#define URNA_STORE_BLOB_H_

#include <string>

namespace urna::store::detail {

// "urnaZ1\n" + zlib(level 6) of `plain`. Deterministic for the same input.
std::string pack(const std::string& plain);
// The inverse; a value without the prefix is returned as is. Throws
// DbError when a prefixed value does not inflate (a corrupt row).
std::string unpack(const std::string& stored);

}  // namespace urna::store::detail

#endif  // URNA_STORE_BLOB_H_
