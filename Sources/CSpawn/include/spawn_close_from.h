#ifndef YACHAQ_SPAWN_CLOSE_FROM_H
#define YACHAQ_SPAWN_CLOSE_FROM_H
#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+), which Swift cannot see because
/// glibc declares it only under _GNU_SOURCE. Elsewhere it does nothing and returns 0.
int yachaq_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
