#include "modules/common/draft_document.hpp"

#include <string>

namespace kiln::common {

void RequireDraft(bool is_draft, std::string_view plural, std::string_view status, std::string_view what) {
    if (is_draft) return;
    throw Conflict("Only draft " + std::string(plural) + " can be " + std::string(what) + "; this one is " +
                   std::string(status) + ".");
}

}  // namespace kiln::common
