#include "observability/components.hpp"

namespace kiln::observability {

Components& Components::Instance() {
    static Components components;
    return components;
}

}  // namespace kiln::observability
