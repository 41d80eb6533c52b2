// urna-tally: counts elections.
//
//   urna-tally [options] FILE       offline: count one ballot file
//     --method M        schulze (default), ranked-pairs, irv, stv,
//                       plurality, approval, borda
//     --seats N         seats to fill (default: the file's, else 1)
//     --format F        elekto, blt, soc, soi, toc, toi, debian
//                       (default: by the file name)
//     --tie-break T     none (default), tbrc, seed, ranked-pairs
//     --seed S          published seed of the TBRC / sha256 order (also
//                       orders ranked pairs' equal pairs)
//     --unranked U      ignore (Elekto, default for .csv) or last
//                       (default for the other formats)
//     --stv-variant V   scottish (default) or minneapolis
//     --json | --results-md   output format (default: text)
//
// Exit status: 0 counted, 1 the count failed (bad file, bad options), 2 usage.
//
//   urna-tally --keygen [--config FILE | --key-dir DIR]   a new ballot key
//   urna-tally --forget-key ELECTION [--force] [--config FILE]
//
// The scheduled mode (`urna-tally [--config FILE]` run by cron: closed
// elections -> ballots from the database -> pipes -> stored results) is a
// separate function, run_cron(), to be added with src/store; see the seam in
// main().
#include <json/json.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "bin/tally_cron.h"
#include "tally/count.h"
#include "tally/formats.h"
#include "tally/report.h"
#include "tally/result.h"

namespace {

using namespace urna;

enum class Output { kText, kJson, kResultsMd };

struct OfflineArgs {
  std::string file;
  core::Method method = core::Method::kSchulze;
  std::optional<tally::Format> format;
  std::optional<tally::Unranked> unranked;
  tally::CountOptions count;
  Output output = Output::kText;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const char kUsage[] =
    "usage: urna-tally [--method M] [--seats N] [--format F] [--tie-break "
    "none|tbrc|seed|ranked-pairs]\n"
    "                  [--seed S] [--unranked ignore|last] [--stv-variant "
    "scottish|minneapolis]\n"
    "                  [--json | --results-md] FILE\n";

OfflineArgs parse_args(int argc, char** argv) {
  OfflineArgs a;
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc) throw UsageError(std::string(argv[i]) + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--method") {
      std::string v = value(i);
      auto m = core::parse_method(v);
      if (!m) throw UsageError("unknown method \"" + v + "\"");
      a.method = *m;
    } else if (arg == "--seats") {
      std::string v = value(i);
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 1 || n > 100000)
        throw UsageError("--seats needs a whole number >= 1, not \"" + v + "\"");
      a.count.seats = static_cast<int>(n);
    } else if (arg == "--format") {
      std::string v = value(i);
      a.format = tally::parse_format(v);
      if (!a.format) throw UsageError("unknown format \"" + v + "\"");
    } else if (arg == "--tie-break") {
      std::string v = value(i);
      if (!tally::parse_tie_break(v, &a.count.tie_break))
        throw UsageError("unknown tie-break \"" + v + "\"");
    } else if (arg == "--seed") {
      a.count.seed = value(i);
    } else if (arg == "--unranked") {
      std::string v = value(i);
      if (v == "ignore") a.unranked = tally::Unranked::kIgnore;
      else if (v == "last") a.unranked = tally::Unranked::kLast;
      else throw UsageError("--unranked is ignore or last, not \"" + v + "\"");
    } else if (arg == "--stv-variant") {
      std::string v = value(i);
      if (v == "scottish") a.count.stv = tally::StvVariant::kScottish;
      else if (v == "minneapolis") a.count.stv = tally::StvVariant::kMinneapolis;
      else throw UsageError("--stv-variant is scottish or minneapolis, not \"" + v + "\"");
    } else if (arg == "--json") {
      a.output = Output::kJson;
    } else if (arg == "--results-md") {
      a.output = Output::kResultsMd;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      throw UsageError("unknown option " + arg);
    } else if (a.file.empty()) {
      a.file = arg;
    } else {
      throw UsageError("one ballot file at a time");
    }
  }
  if (a.file.empty()) throw UsageError("no ballot file given");
  if (!a.format) a.format = tally::format_from_path(a.file);
  if (!a.format)
    throw UsageError("cannot tell the format of \"" + a.file + "\" by its name; use --format");
  return a;
}

int run_offline(const OfflineArgs& a) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.file != "-") {
    file.open(a.file);
    if (!file) {
      std::cerr << "urna-tally: cannot open " << a.file << ": " << std::strerror(errno) << "\n";
      return 1;
    }
    in = &file;
  }
  tally::BallotBox box;
  try {
    box = tally::read_ballots(*in, *a.format);
  } catch (const tally::FormatError& e) {
    std::cerr << "urna-tally: " << a.file << ": " << e.what() << "\n";
    return 1;
  }
  tally::CountOptions opt = a.count;
  // Elekto counts "No opinion" as taking part in no comparison; the other
  // formats come from elections where an unranked answer is ranked last.
  opt.unranked = a.unranked.value_or(*a.format == tally::Format::kElekto
                                         ? tally::Unranked::kIgnore
                                         : tally::Unranked::kLast);
  std::vector<std::string> notes;
  if (a.method == core::Method::kPlurality) {
    box.ballots = tally::first_preferences(box.ballots);
    notes.push_back("plurality: each ballot's first preference counted");
  }
  tally::QuestionResult r = tally::count_box(box, a.method, opt);
  r.notes.insert(r.notes.end(), notes.begin(), notes.end());
  switch (a.output) {
    case Output::kText:
      std::cout << tally::text_report(r);
      break;
    case Output::kJson: {
      Json::StreamWriterBuilder w;
      w["indentation"] = "  ";
      std::cout << Json::writeString(w, tally::to_json(r)) << "\n";
      break;
    }
    case Output::kResultsMd:
      std::cout << tally::results_markdown(box.title, {r});
      break;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The scheduled mode (src/bin/tally_cron.h): with no ballot file, or with
  // --cron / --config / --quiet, closed elections are counted from the database.
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--keygen") || !std::strcmp(argv[i], "--forget-key"))
      return urna::bin::key_main(argc, argv);
  bool cron = argc == 1;
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--cron") || !std::strcmp(argv[i], "--config") ||
        !std::strcmp(argv[i], "--quiet"))
      cron = true;
  if (cron) return urna::bin::cron_main(argc, argv);
  try {
    return run_offline(parse_args(argc, argv));
  } catch (const UsageError& e) {
    std::cerr << "urna-tally: " << e.what() << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "urna-tally: " << e.what() << "\n";
    return 1;
  }
}
