// map(fd, length): the first `length` bytes of an open file, mapped read-only
// and shared, as an ArrayBuffer; unmapped when the buffer is collected.
// orgplane maps the WAL-index headers of SQLite's -shm file with it, so that
// checking them for other processes' commits costs a memory read, not a system
// call (src/db/wal-index-header.ts).
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "addon.h"

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  int64_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &length) != napi_ok ||
      fd < 0 || length <= 0) {
    napi_throw_type_error(env, NULL, "map(fd, length) takes an open file descriptor and a positive length");
    return NULL;
  }
  void *data = mmap(NULL, (size_t)length, PROT_READ, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, data, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer) != napi_ok) {
    munmap(data, (size_t)length);
    napi_throw_error(env, NULL, "the mapping could not be handed to JavaScript");
    return NULL;
  }
  return buffer;
}
