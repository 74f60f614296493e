{
  "targets": [
    {
      "target_name": "wal_index",
      "sources": ["native/wal_index.c"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
