#include "api/time/clock.hpp"

namespace kactor {

Clock::~Clock() = default;

}  // namespace kactor
