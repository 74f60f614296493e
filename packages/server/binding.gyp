{
  "targets": [
    {
      "target_name": "orgplane",
      "sources": ["native/addon.c", "native/send_buffer.c", "native/wal_index.c"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
