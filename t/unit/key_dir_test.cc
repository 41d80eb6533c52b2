// The private ballot keys on the counting host (src/count/key_dir): files
// and modes, what load_private_key refuses, forgetting.
#define BOOST_TEST_MODULE key_dir
#include "count/key_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "crypto/ballot_box.h"
#include "crypto/ballot_open.h"

using namespace urna;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "urna-keys-XXXXXX").string();
    if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp");
    path = t;
  }
  ~TempDir() { fs::remove_all(path); }
};

int mode_of(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(create_load_forget) {
  TempDir t;
  const std::string dir = t.path + "/keys";
  const count::NewKey k = count::create_key(dir);
  BOOST_TEST(mode_of(dir) == 0700);
  BOOST_TEST(mode_of(k.path) == 0600);
  BOOST_TEST(k.path == dir + "/" + count::key_file_name(k.public_key));
  auto priv = count::load_private_key(dir, k.public_key);
  BOOST_REQUIRE(priv.has_value());
  BOOST_TEST(crypto::ballot_public_key(*priv) == k.public_key);
  // It opens what is sealed to its public key.
  const std::string sealed = crypto::seal_ballot(k.public_key, "x", "e");
  BOOST_TEST(*crypto::open_ballot(*priv, sealed, "e") == "x");
  // Another key is simply absent.
  BOOST_TEST(!count::load_private_key(dir, crypto::generate_ballot_key().public_key));
  BOOST_TEST(count::forget_key(dir, k.public_key));
  BOOST_TEST(!fs::exists(k.path));
  BOOST_TEST(!count::load_private_key(dir, k.public_key));
  BOOST_TEST(!count::forget_key(dir, k.public_key));  // already gone
}

BOOST_AUTO_TEST_CASE(what_load_refuses) {
  TempDir t;
  const count::NewKey k = count::create_key(t.path);
  ::chmod(k.path.c_str(), 0644);
  BOOST_CHECK_THROW(count::load_private_key(t.path, k.public_key), count::KeyDirError);
  try {
    count::load_private_key(t.path, k.public_key);
  } catch (const count::KeyDirError& e) {
    BOOST_TEST(std::string(e.what()).find("can be read by others") != std::string::npos);
  }
  ::chmod(k.path.c_str(), 0600);
  // The file of one key holding another key.
  const count::NewKey other = count::create_key(t.path);
  fs::remove(k.path);
  fs::copy_file(other.path, k.path);
  ::chmod(k.path.c_str(), 0600);
  BOOST_CHECK_THROW(count::load_private_key(t.path, k.public_key), count::KeyDirError);
  // Garbage.
  for (const std::string text :
       {std::string(""), std::string("x25519-private:AAAA\n"), std::string("hello\n"),
        std::string("x25519-private:") + std::string(43, '!') + "\n"}) {
    std::ofstream(k.path, std::ios::trunc) << text;
    BOOST_CHECK_THROW(count::load_private_key(t.path, k.public_key), count::KeyDirError);
  }
  // create_key never overwrites: a new file each time.
  const count::NewKey a = count::create_key(t.path), b = count::create_key(t.path);
  BOOST_TEST(a.path != b.path);
  // A key_dir that is a file.
  std::ofstream(t.path + "/file") << "x";
  BOOST_CHECK_THROW(count::create_key(t.path + "/file"), count::KeyDirError);
}
