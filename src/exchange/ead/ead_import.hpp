#pragma once
// Reads EAD 2002 and EAD(DDB) finding aids and Tektonik files into an ImportBatch: with or
// without namespace, <c> or <c01>…<c12>, DOCTYPEs that point at unreachable DTDs (never
// fetched), and the quirks of real exports. Entity declarations are refused outright, which
// closes XXE and entity-expansion bombs by construction.
#include <string>
#include <string_view>

#include "exchange/import_batch.hpp"

namespace findbuch {

struct EadLimits {
  std::size_t max_units = 5'000'000;
  int max_depth = 64;                    ///< nesting of <c> elements
  std::size_t max_text_bytes = 1 << 20;  ///< one field
};

/// Parses `xml` (the whole file; pass it moved, it is parsed in place) and hands each unit to
/// `sink` as soon as it is read, parents first; `warn` receives what was kept but not understood.
/// `source` names the file in messages, which carry the element path, e.g. "f.xml:
/// /ead/archdesc/dsc/c[2]/did/unitdate".
void read_ead(std::string xml, const std::string& source, const UnitSink& sink,
              const std::function<void(std::string)>& warn, const EadLimits& limits = {});

/// The same, collected into a batch.
ImportBatch read_ead(std::string xml, const std::string& source, const EadLimits& limits = {});

}  // namespace findbuch
