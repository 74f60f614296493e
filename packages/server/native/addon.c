#include "addon.h"

static int export_function(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value value;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value) == napi_ok &&
         napi_set_named_property(env, exports, name, value) == napi_ok;
}

NAPI_MODULE_INIT() {
  if (!export_function(env, exports, "map", map_file)) return NULL;
  if (!export_function(env, exports, "setSendBuffer", set_send_buffer)) return NULL;
  return exports;
}
