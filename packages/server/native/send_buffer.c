// setSendBuffer(fd, bytes): sets a socket's SO_SNDBUF and answers the size the
// kernel set (Linux doubles the request for its own bookkeeping). Node.js
// exposes the option for UDP sockets only. orgplane sets it on its listening
// sockets, whose connections inherit it: the kernel's own autotuning lets each
// connection hold up to tcp_wmem's maximum (4 MiB by default) of answers its
// client has not read (src/http/send-buffer.ts).
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "addon.h"

napi_value set_send_buffer(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  int32_t bytes;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int32(env, argv[1], &bytes) != napi_ok ||
      fd < 0 || bytes <= 0) {
    napi_throw_type_error(env, NULL, "setSendBuffer(fd, bytes) takes a socket descriptor and a positive size");
    return NULL;
  }
  int set = bytes;
  socklen_t length = sizeof set;
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes) != 0 || getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &set, &length) != 0) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  napi_value result;
  if (napi_create_int32(env, set, &result) != napi_ok) return NULL;
  return result;
}
