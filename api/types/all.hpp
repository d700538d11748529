// Every built-in kind.
#pragma once

#include "api/types/binding.hpp"
#include "api/types/config.hpp"
#include "api/types/coordination.hpp"
#include "api/types/disruption.hpp"
#include "api/types/event.hpp"
#include "api/types/namespace.hpp"
#include "api/types/node.hpp"
#include "api/types/pod.hpp"
#include "api/types/policy.hpp"
#include "api/types/service.hpp"
#include "api/types/storage.hpp"
#include "api/types/workloads.hpp"
