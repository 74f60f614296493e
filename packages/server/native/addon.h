// orgplane's Node-API addon: what Node.js does not expose, each function in a
// file named for it. One build serves every Node.js version with Node-API 8.
#ifndef ORGPLANE_ADDON_H
#define ORGPLANE_ADDON_H
#include <node_api.h>

napi_value map_file(napi_env env, napi_callback_info info);
napi_value set_send_buffer(napi_env env, napi_callback_info info);

#endif
