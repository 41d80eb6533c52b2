// web::count_note, round_note, tie_break_text, invalid_reason and
// dropped_reason (src/web/result_notes.h): the English that urna-tally
// stores with the results, in the page's language. The texts are produced
// by the count itself (tally::count_question with ties, seeds, bad ballots,
// a quorum), so a change of wording in src/tally that the results page
// would no longer recognise fails here; the texts that only
// src/count/scheduled.cc writes are the ones it writes (checked against
// results_test.py's stored pages too). English comes out as stored (round
// notes as whole sentences), Spanish from the shipped catalog with the
// same values; an unknown text is shown as it is.
#define BOOST_TEST_MODULE result_notes
#include "web/result_notes.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <memory>

#include "tally/count.h"

using namespace urna;
using web::count_note;
using web::dropped_reason;
using web::invalid_reason;
using web::round_note;
using web::tie_break_text;

namespace {

std::string builddir() {
  const char* s = std::getenv("URNA_BUILDDIR");
  return s && *s ? s : ".";
}

const i18n::Catalogs& catalogs() {
  static const auto c = std::make_shared<const i18n::Catalogs>(
      i18n::Catalogs::load(builddir() + "/po/locale", nullptr));
  return *c;
}
i18n::Translator es() { return catalogs().translator("es"); }
const i18n::Translator en{};

core::Question question(core::Method m, std::vector<std::string> ids, int seats = 1) {
  core::Question q;
  q.id = "main";
  q.method = m;
  q.winners = seats;
  for (auto& id : ids) q.answers.push_back({id, id});
  return q;
}

tally::RawBallot ballot(std::vector<std::pair<std::string, int>> marks, std::int64_t w = 1) {
  tally::RawBallot b;
  b.marks = std::move(marks);
  b.weight = w;
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(catalog_is_there) {
  BOOST_REQUIRE(catalogs().has("es"));
  BOOST_TEST(es().tr("Rounds") != "Rounds");
}

// IRV: A and B tie for last place in round 1 with no earlier round to
// decide: by lot (seeded). The round's note and the tie-break.
BOOST_AUTO_TEST_CASE(irv_round_tie_by_lot) {
  tally::CountOptions opt;
  opt.seed = "draw-2020";
  opt.irv_batch_exclusion = false;
  const auto r = tally::count_question(
      question(core::Method::kIrv, {"a", "b", "c"}),
      {ballot({{"a", 1}}, 2), ballot({{"b", 1}}, 2), ballot({{"c", 1}}, 3)}, opt);
  BOOST_REQUIRE(!r.rounds.empty());
  const std::string note = r.rounds.front().note;
  BOOST_TEST_INFO(note);
  BOOST_REQUIRE(note.find("tie decided by lot") != std::string::npos);
  const std::string want_en =
      "The tie was decided by lot: sha256(seed + \"\\n\" + id) order, seed \"draw-2020\".";
  BOOST_TEST(round_note(note, en) == want_en);
  BOOST_TEST(round_note(note, es()) ==
             "El empate se decidió por sorteo: orden de sha256(seed + \"\\n\" + id), semilla "
             "«draw-2020».");
  BOOST_REQUIRE(!r.tie_break.empty());
  BOOST_TEST(tie_break_text(r.tie_break, en) == r.tie_break);  // English as stored
  BOOST_TEST(tie_break_text(r.tie_break, es()) ==
             "sorteo: sha256(seed + \"\\n\" + id) ascendente, semilla «draw-2020»");
}

// A round's note holds several pieces, each "...; ": each one a sentence.
BOOST_AUTO_TEST_CASE(round_pieces_in_a_row_and_unknown_ones) {
  const std::string both =
      "tie decided by the totals of an earlier round; as many candidates left as seats: all "
      "elected; ";
  BOOST_TEST(round_note(both, en) ==
             "The tie was decided by the totals of an earlier round. As many candidates were left "
             "as seats: all of them are elected.");
  BOOST_TEST(round_note(both, es()) ==
             "El empate se decidió por los totales de una vuelta anterior. Quedaban tantas "
             "candidaturas como puestos: todas salen elegidas.");
  // A piece this page does not know: kept, as a sentence, after the known ones.
  BOOST_TEST(round_note("tie decided by the totals of an earlier round; something new; ", es()) ==
             "El empate se decidió por los totales de una vuelta anterior. Something new.");
  BOOST_TEST(round_note("", es()) == "");
}

// STV, two seats: once a candidate is excluded, two are left for the two
// seats and both are elected; the piece as the count writes it.
BOOST_AUTO_TEST_CASE(stv_all_left_elected_from_the_count) {
  const auto r = tally::count_question(
      question(core::Method::kStv, {"a", "b", "c"}, 2),
      {ballot({{"a", 1}}, 3), ballot({{"b", 1}}, 2), ballot({{"c", 1}}, 1)}, {});
  std::string notes;
  for (const auto& rd : r.rounds) notes += rd.note;
  BOOST_TEST_INFO(notes);
  BOOST_REQUIRE(notes.find("as many candidates left as seats") != std::string::npos);
  BOOST_TEST(round_note(notes, es()).find("Quedaban tantas candidaturas como puestos") !=
             std::string::npos);
}

// A Schulze tie at the boundary: the note (with and without a tie-break)
// and the tie-break text of TBRC.
BOOST_AUTO_TEST_CASE(ties_at_the_boundary) {
  const auto q = question(core::Method::kSchulze, {"a", "b", "c"});
  const std::vector<tally::RawBallot> ballots = {ballot({{"a", 1}, {"c", 2}}, 3)};
  const auto open = tally::count_question(q, ballots, {});
  BOOST_REQUIRE(open.tie_at_boundary);
  BOOST_REQUIRE_EQUAL(open.notes.size(), 1u);
  BOOST_TEST(count_note(open.notes[0], en) == open.notes[0]);
  BOOST_TEST(count_note(open.notes[0], es()) ==
             "2 candidaturas empatadas por el último puesto; no hay desempate configurado: "
             "deciden los responsables, puestos sin cubrir");

  tally::CountOptions opt;
  opt.tie_break = tally::TieBreak::kTbrc;
  opt.seed = "s-1";
  const auto broken = tally::count_question(q, ballots, opt);
  BOOST_REQUIRE_EQUAL(broken.notes.size(), 1u);
  BOOST_TEST(count_note(broken.notes[0], en) == broken.notes[0]);
  BOOST_TEST(count_note(broken.notes[0], es()) ==
             "2 candidaturas empatadas por el último puesto; desempate: la clasificación de "
             "desempate de las candidaturas (TBRC: papeletas en el orden aleatorio de "
             "sha256(seed + \"\\n\" + ballot + \"\\n\" + k)), semilla «s-1»");
  BOOST_TEST(tie_break_text(broken.tie_break, en) == broken.tie_break);

  opt.tie_break = tally::TieBreak::kSeed;
  const auto seeded = tally::count_question(q, ballots, opt);
  BOOST_TEST(tie_break_text(seeded.tie_break, es()) ==
             "sha256(seed + \"\\n\" + id) ascendente, semilla «s-1»");
  opt.tie_break = tally::TieBreak::kRankedPairs;
  const auto rp = tally::count_question(q, ballots, opt);
  BOOST_TEST(tie_break_text(rp.tie_break, es()) ==
             "pares ordenados entre los empatados y después la clasificación de desempate de las "
             "candidaturas (TBRC), semilla «s-1»");

  // Two seats, three tied.
  const auto three =
      tally::count_question(question(core::Method::kPlurality, {"a", "b", "c"}, 2),
                            {ballot({{"a", 1}}), ballot({{"b", 1}}), ballot({{"c", 1}})}, {});
  BOOST_REQUIRE_EQUAL(three.notes.size(), 1u);
  BOOST_TEST(count_note(three.notes[0], es()) ==
             "3 candidaturas empatadas por los últimos 2 puestos; no hay desempate configurado: "
             "deciden los responsables, puestos sin cubrir");
}

BOOST_AUTO_TEST_CASE(more_seats_than_candidates_and_no_valid_ballots) {
  const auto r = tally::count_question(question(core::Method::kSchulze, {"a", "b"}, 3),
                                       {ballot({{"a", 1}, {"b", 2}})}, {});
  std::string note;
  for (const auto& n : r.notes)
    if (n.find("seats but only") != std::string::npos) note = n;
  BOOST_REQUIRE(!note.empty());
  BOOST_TEST(count_note(note, en) == note);
  BOOST_TEST(count_note(note, es()) ==
             "3 puestos pero solo 2 candidaturas: sale elegida toda candidatura clasificada");
  BOOST_TEST(count_note("2 seats but only 1 candidate: everyone ranked is elected", es()) ==
             "2 puestos pero solo 1 candidatura: sale elegida toda candidatura clasificada");

  const auto none = tally::count_question(question(core::Method::kIrv, {"a", "b"}), {}, {});
  bool found = false;
  for (const auto& n : none.notes)
    if (n == "no valid ballots") {
      found = true;
      BOOST_TEST(count_note(n, es()) == "ninguna papeleta válida");
    }
  BOOST_TEST(found);
}

// The reasons the count gives for invalid ballots.
BOOST_AUTO_TEST_CASE(invalid_reasons) {
  auto q = question(core::Method::kApproval, {"x", "y", "z"});
  q.max_selections = 2;
  q.min_selections = 2;
  const auto r = tally::count_question(q,
                                       {ballot({{"x", 1}, {"y", 1}, {"z", 1}}), ballot({{"x", 1}}),
                                        ballot({{"w", 1}}), ballot({{"x", 1}, {"x", 1}})},
                                       {});
  std::map<std::string, std::string> es_of;
  for (const auto& [why, n] : r.invalid_reasons) {
    BOOST_TEST(invalid_reason(why, en) == why);
    es_of[why] = invalid_reason(why, es());
  }
  BOOST_TEST(es_of["too many selections: 3 (at most 2)"] ==
             "demasiadas opciones marcadas: 3 (como máximo 2)");
  BOOST_TEST(es_of["too few selections: 1 (at least 2)"] ==
             "demasiado pocas opciones marcadas: 1 (como mínimo 2)");
  BOOST_TEST(es_of["unknown answer \"w\""] == "respuesta desconocida «w»");
  BOOST_TEST(es_of["answer \"x\" appears more than once"] ==
             "la respuesta «x» aparece más de una vez");
  BOOST_TEST(es_of.size() == 4u);

  const auto ranked = tally::count_question(question(core::Method::kSchulze, {"a", "b"}),
                                            {ballot({{"a", 1}, {"b", 1}}), ballot({{"a", 7}})}, {});
  for (const auto& [why, n] : ranked.invalid_reasons) BOOST_TEST_MESSAGE(why);
  BOOST_TEST(invalid_reason("rank 7 is out of range 1..2", es()) ==
             "la posición 7 está fuera del intervalo 1..2");
  BOOST_TEST(invalid_reason("two answers share a rank, which this question forbids", es()) ==
             "dos respuestas comparten posición, algo que esta pregunta no permite");
  BOOST_TEST(invalid_reason("malformed ranking: bad percent escape", es()) ==
             "clasificación mal formada: secuencia de escape con % incorrecta");
  BOOST_TEST(invalid_reason("a sealed ballot that does not open with the election's key "
                            "(tampered, truncated or sealed to another key)",
                            es()) ==
             "una papeleta sellada que no se abre con la clave de la elección (manipulada, "
             "truncada o sellada con otra clave)");
  BOOST_TEST(invalid_reason("the ballot has 3 answers, the question 2", es()) ==
             "la papeleta tiene 3 respuestas y la pregunta 2");
  // Not a pattern of ours: as it is (a regex character in it changes nothing).
  BOOST_TEST(invalid_reason("malformed ranking: bad percent escape (new)", es()) ==
             "malformed ranking: bad percent escape (new)");
}

// Debian's quorum and supermajority against a default option.
BOOST_AUTO_TEST_CASE(dropped_candidates) {
  tally::CountOptions opt;
  opt.default_option = 2;
  opt.quorum = 3;
  const auto r =
      tally::count_question(question(core::Method::kSchulze, {"a", "b", "fd"}),
                            {ballot({{"a", 1}, {"fd", 2}}, 2), ballot({{"fd", 1}})}, opt);
  BOOST_REQUIRE(!r.dropped.empty());
  for (const auto& [i, why] : r.dropped) {
    BOOST_TEST_INFO(why);
    BOOST_TEST(dropped_reason(why, es()).rfind("cuórum: ", 0) == 0u);
  }
  BOOST_TEST(dropped_reason("quorum: 2 ballots prefer it to fd, fewer than the quorum", es()) ==
             "cuórum: 2 papeletas la prefieren a fd, menos que el cuórum");
  BOOST_TEST(dropped_reason("quorum: 1 ballots prefer it to fd, fewer than the quorum", en) ==
             "quorum: 1 ballot prefers it to fd, fewer than the quorum");

  tally::CountOptions maj;
  maj.default_option = 1;
  maj.majority = {1.5, 1};
  const auto m = tally::count_question(
      question(core::Method::kSchulze, {"a", "fd"}),
      {ballot({{"a", 1}, {"fd", 2}}, 3), ballot({{"fd", 1}, {"a", 2}}, 2)}, maj);
  BOOST_REQUIRE_EQUAL(m.dropped.size(), 1u);
  BOOST_TEST(dropped_reason(m.dropped[0].second, en) ==
             "majority: 3:2 against fd does not exceed 1.5:1");
  BOOST_TEST(dropped_reason(m.dropped[0].second, es()) ==
             "mayoría: 3:2 frente a fd no supera 1,5:1");
}

// The notes that src/count/scheduled.cc writes (the texts as it builds
// them; results_test.py checks them on stored results too).
BOOST_AUTO_TEST_CASE(election_notes) {
  BOOST_TEST(count_note("3 sealed ballots of board/2020 did not open with the election's key; "
                        "they are counted as invalid in every question.",
                        es()) ==
             "3 papeletas selladas de board/2020 no se abrieron con la clave de la elección; "
             "cuentan como no válidas en todas las preguntas.");
  BOOST_TEST(count_note("1 sealed ballot of board/2020 did not open with the election's key; it "
                        "is counted as invalid in every question.",
                        es()) ==
             "1 papeleta sellada de board/2020 no se abrió con la clave de la elección; cuenta "
             "como no válida en todas las preguntas.");
  const std::string gone =
      "2 ballots of x/2020 answer question \"q9\", which the election no longer has; those "
      "answers were not counted.";
  BOOST_TEST(count_note(gone, en) == gone);
  BOOST_TEST(count_note(gone, es()) ==
             "2 papeletas de x/2020 responden a la pregunta «q9», que la elección ya no tiene; "
             "esas respuestas no se contaron.");
  BOOST_TEST(count_note("1 ballot of x/2020 answers question \"q9\", which the election no longer "
                        "has; that answer was not counted.",
                        es()) ==
             "1 papeleta de x/2020 responde a la pregunta «q9», que la elección ya no tiene; esa "
             "respuesta no se contó.");
  BOOST_TEST(count_note("Ballots stored for the parent election itself were not counted: a "
                        "parent's result counts the ballots of its children.",
                        es())
                 .rfind("No se contaron las papeletas", 0) == 0u);
  // Unknown (a newer urna-tally): shown as stored.
  BOOST_TEST(count_note("a note from the future", es()) == "a note from the future");
}
