#include "store/blob.h"

#include <zlib.h>

#include <cstring>

#include "store/db.h"

namespace urna::store::detail {

namespace {
constexpr char kMagic[] = "urnaZ1\n";
constexpr size_t kMagicLen = sizeof kMagic - 1;
}  // namespace

std::string pack(const std::string& plain, int level) {
  z_stream z{};
  if (deflateInit(&z, level) != Z_OK) throw DbError("zlib: deflateInit failed", 0, false);
  std::string out(kMagic, kMagicLen);
  out.resize(kMagicLen + deflateBound(&z, plain.size()));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(&out[kMagicLen]);
  z.avail_out = static_cast<uInt>(out.size() - kMagicLen);
  const int rc = deflate(&z, Z_FINISH);
  const size_t used = out.size() - z.avail_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw DbError("zlib: deflate failed", 0, false);
  out.resize(used);
  return out;
}

std::string unpack(const std::string& stored) {
  if (stored.size() < kMagicLen || stored.compare(0, kMagicLen, kMagic) != 0) return stored;
  z_stream z{};
  if (inflateInit(&z) != Z_OK) throw DbError("zlib: inflateInit failed", 0, false);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stored.data() + kMagicLen));
  z.avail_in = static_cast<uInt>(stored.size() - kMagicLen);
  std::string out;
  char buf[1 << 16];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
  } while (rc != Z_STREAM_END);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw DbError("a stored value is corrupt (zlib)", 0, false);
  return out;
}

}  // namespace urna::store::detail
