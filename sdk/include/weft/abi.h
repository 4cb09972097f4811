/*
 * weft plugin ABI, version 1 (minor 2).
 *
 * This header is the whole contract between the weft host and a plugin shared object. It is
 * plain C so that any compiler, any C++ standard library and any language with a C FFI can
 * implement a plugin.
 *
 * Rules (see sdk/README.md for the guide):
 *  - A plugin exports exactly one symbol, `weft_plugin_v1`, returning its manifest.
 *  - The host accepts a plugin when its ABI major equals the host's and its ABI minor is not
 *    newer than the host's. Anything else is refused at load with a one-line reason.
 *  - Every struct begins with `size`, set by whoever fills it to sizeof(struct) as it was
 *    compiled. Structs and function tables only ever grow at the end (minor version bump);
 *    a reader copies min(size, sizeof) into a zeroed struct and checks fields appended
 *    after 1.0 by offset before using them.
 *  - Nothing of the C++ standard library, no exception and no RTTI crosses the boundary.
 *  - Strings are `weft_str` views: borrowed, not NUL-terminated, valid for the duration of
 *    the call they are passed to or returned from unless a function says otherwise.
 *  - Structured data are opaque host-owned `weft_value`s, read and built through the host
 *    table. A plugin never frees host memory and the host never frees plugin memory.
 *
 * OWNERSHIP notes on each function say who owns every pointer that crosses the boundary.
 */
#ifndef WEFT_ABI_H
#define WEFT_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WEFT_ABI_MAJOR 1
/* 1.1: auth providers (weft_auth_provider, register_auth).
 * 1.2: credential types (register_credential_type) and a node's credentials (host->credential). */
#define WEFT_ABI_MINOR 2

/* The one symbol a plugin exports. */
#define WEFT_PLUGIN_ENTRY_SYMBOL "weft_plugin_v1"

#if defined(_WIN32)
#define WEFT_EXPORT __declspec(dllexport)
#else
#define WEFT_EXPORT __attribute__((visibility("default")))
#endif

/* ---------------------------------------------------------------------------------------
 * Status codes. Every fallible host or plugin function returns one; 0 is success. The
 * numbering is stable: new codes are only appended.
 * ------------------------------------------------------------------------------------- */
typedef int32_t weft_status;
#define WEFT_OK 0
#define WEFT_ERR_INVALID 1     /* bad argument, bad parameter, bad input data            */
#define WEFT_ERR_NOT_FOUND 2   /* the named thing does not exist                         */
#define WEFT_ERR_CONFLICT 3    /* a concurrent change or duplicate                       */
#define WEFT_ERR_UNAVAILABLE 4 /* a dependency is down; retrying later may succeed       */
#define WEFT_ERR_CANCELLED 5   /* the execution was cancelled                            */
#define WEFT_ERR_TIMEOUT 6     /* a deadline passed                                      */
#define WEFT_ERR_UNSUPPORTED 7 /* the host or plugin does not offer this                 */
#define WEFT_ERR_INTERNAL 8    /* a bug or an unexpected failure                         */
#define WEFT_ERR_NODE 9        /* the node decided the execution fails (weft.fail, ...)  */

/* A borrowed string view. Not NUL-terminated. */
typedef struct weft_str {
  const char* ptr;
  size_t len;
} weft_str;

/* Opaque handles, defined by the host. */
typedef struct weft_value weft_value; /* a JSON value owned by the host                     */
typedef struct weft_ctx weft_ctx;     /* the context of one call into a plugin             */
typedef struct weft_storage_backend weft_storage_backend; /* defined below                 */
typedef struct weft_auth_provider weft_auth_provider;     /* defined below (ABI 1.1)        */

typedef enum weft_value_type {
  WEFT_NULL = 0,
  WEFT_BOOL = 1,
  WEFT_INT = 2,    /* a number that is an integer in int64 range                        */
  WEFT_DOUBLE = 3, /* any other number                                                  */
  WEFT_STRING = 4,
  WEFT_ARRAY = 5,
  WEFT_OBJECT = 6
} weft_value_type;

typedef enum weft_log_level {
  WEFT_LOG_DEBUG = 0,
  WEFT_LOG_INFO = 1,
  WEFT_LOG_WARN = 2,
  WEFT_LOG_ERROR = 3
} weft_log_level;

/* ---------------------------------------------------------------------------------------
 * HTTP client service (host table). The host performs the request, honours the execution's
 * cancellation and the node's deadline, and adds the W3C traceparent of the running node.
 * ------------------------------------------------------------------------------------- */
typedef struct weft_http_header {
  weft_str name;
  weft_str value;
} weft_http_header;

typedef struct weft_http_request {
  uint32_t size;
  weft_str method;              /* "GET", "POST", ...                                      */
  weft_str url;                 /* absolute http:// or https:// URL, query included        */
  const weft_http_header* headers;
  size_t header_count;
  weft_str body;                /* may be empty                                            */
  uint32_t timeout_ms;          /* 0: the host default                                     */
  uint32_t flags;               /* WEFT_HTTP_* below                                       */
} weft_http_request;

#define WEFT_HTTP_INSECURE_SKIP_VERIFY 1u /* do not verify the TLS peer (tests only)       */

typedef struct weft_http_response {
  uint32_t size;
  int32_t status;               /* HTTP status code                                        */
  const weft_http_header* headers; /* OWNERSHIP: host-owned, valid until the call ends     */
  size_t header_count;
  weft_str body;                /* OWNERSHIP: host-owned, valid until the call ends        */
} weft_http_response;

/* ---------------------------------------------------------------------------------------
 * The host table: every service the host offers a plugin. Passed to init and valid for the
 * life of the process. Functions taking a `weft_ctx*` may only be called during the call that
 * received that context, from the thread that received it.
 * ------------------------------------------------------------------------------------- */
typedef struct weft_host {
  uint32_t size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* -- diagnostics ------------------------------------------------------------------- */

  /* Writes a log line attributed to the plugin (and node, during a node call). */
  void (*log)(weft_ctx* ctx, weft_log_level level, weft_str message);
  /* Records the error of the current call and returns `code`, so that a plugin can write
   * `return host->fail(ctx, WEFT_ERR_INVALID, msg);`. The host copies the message. */
  weft_status (*fail)(weft_ctx* ctx, weft_status code, weft_str message);

  /* -- cancellation and time --------------------------------------------------------- */

  /* Non-zero once the execution is cancelled or the node's deadline has passed. */
  int (*is_cancelled)(weft_ctx* ctx);
  /* Sleeps up to `ms` milliseconds; returns early with WEFT_ERR_CANCELLED or
   * WEFT_ERR_TIMEOUT when the execution is cancelled or the node's deadline passes. */
  weft_status (*sleep_ms)(weft_ctx* ctx, uint64_t ms);

  /* -- reading values (any value: borrowed or owned) ---------------------------------
   * A `const weft_value*` handed to a plugin is valid until its call returns. */
  weft_value_type (*value_type)(const weft_value* v);
  int (*value_bool)(const weft_value* v);          /* 0 unless a true bool              */
  int64_t (*value_int)(const weft_value* v);       /* truncates a double; 0 otherwise   */
  double (*value_double)(const weft_value* v);     /* any number as double; 0 otherwise */
  weft_str (*value_string)(const weft_value* v);   /* empty unless a string             */
  size_t (*value_size)(const weft_value* v);       /* array length or member count      */
  const weft_value* (*array_at)(const weft_value* v, size_t index);       /* NULL if none */
  const weft_value* (*object_get)(const weft_value* v, weft_str key);     /* NULL if none */
  weft_str (*object_key_at)(const weft_value* v, size_t index);   /* insertion order      */
  const weft_value* (*object_value_at)(const weft_value* v, size_t index);

  /* -- building values ----------------------------------------------------------------
   * OWNERSHIP: every `weft_value*` returned here is owned by `ctx` and freed when the call
   * returns, unless it is consumed first by object_set / array_push / emit, after which the
   * handle must not be used again. Returns NULL only when the host is out of memory budget. */
  weft_value* (*new_null)(weft_ctx* ctx);
  weft_value* (*new_bool)(weft_ctx* ctx, int b);
  weft_value* (*new_int)(weft_ctx* ctx, int64_t i);
  weft_value* (*new_double)(weft_ctx* ctx, double d);
  weft_value* (*new_string)(weft_ctx* ctx, weft_str s); /* the host copies s          */
  weft_value* (*new_array)(weft_ctx* ctx);
  weft_value* (*new_object)(weft_ctx* ctx);
  /* A deep, mutable copy of any value. */
  weft_value* (*clone)(weft_ctx* ctx, const weft_value* v);
  /* Sets obj[key] = v, consuming v. obj must be a value built in this call. */
  weft_status (*object_set)(weft_ctx* ctx, weft_value* obj, weft_str key, weft_value* v);
  /* Removes obj[key]; WEFT_ERR_NOT_FOUND when absent. */
  weft_status (*object_remove)(weft_ctx* ctx, weft_value* obj, weft_str key);
  /* A mutable handle to obj[key], or NULL. Valid until obj is next modified. */
  weft_value* (*object_get_mut)(weft_ctx* ctx, weft_value* obj, weft_str key);
  /* Appends v to arr, consuming v. */
  weft_status (*array_push)(weft_ctx* ctx, weft_value* arr, weft_value* v);
  /* Parses JSON text into a new owned value; WEFT_ERR_INVALID with a reason on bad text. */
  weft_status (*parse_json)(weft_ctx* ctx, weft_str text, weft_value** out);
  /* Serializes v; OWNERSHIP: the text is owned by ctx, valid until the call returns. */
  weft_str (*to_json)(weft_ctx* ctx, const weft_value* v);

  /* -- node execution (only in a node's execute call) ---------------------------------- */

  size_t (*input_port_count)(weft_ctx* ctx);
  size_t (*input_count)(weft_ctx* ctx, size_t port);
  /* OWNERSHIP: borrowed, valid until the call returns. NULL when out of range. */
  const weft_value* (*input_item)(weft_ctx* ctx, size_t port, size_t index);
  /* The node's parameter `name` with every `{{ expression }}` evaluated against input item
   * `item` of port 0 (item < 0: no item, `$json` is an empty object). Writes a borrowed value
   * to *out. WEFT_ERR_NOT_FOUND when the parameter is absent (and has no default);
   * WEFT_ERR_INVALID when an expression fails, with the reason recorded as by fail(). */
  weft_status (*param)(weft_ctx* ctx, weft_str name, int64_t item, const weft_value** out);
  /* Adds an item to output port `port`, consuming it. */
  weft_status (*emit)(weft_ctx* ctx, size_t port, weft_value* item);
  /* Adds input item `index` of input port `in_port` to output port `out_port` unchanged,
   * without copying it. */
  weft_status (*forward)(weft_ctx* ctx, size_t out_port, size_t in_port, size_t index);
  /* Sets the execution's response (used by weft.respond): an object with optional
   * `status`, `headers` and `body`. The host copies v. */
  weft_status (*set_response)(weft_ctx* ctx, const weft_value* response);

  /* -- services -------------------------------------------------------------------------- */

  /* Performs an HTTP request. `res` is filled; its pointers are owned by ctx. Transport
   * failures return WEFT_ERR_UNAVAILABLE (or CANCELLED / TIMEOUT) with a reason. */
  weft_status (*http_request)(weft_ctx* ctx, const weft_http_request* req,
                              weft_http_response* res);
  /* The W3C traceparent of the running node, or empty. */
  weft_str (*traceparent)(weft_ctx* ctx);

  /* -- storage ------------------------------------------------------------------------- */

  /* The registered storage backend `name`, or NULL; lets one backend wrap another (dual).
   * OWNERSHIP: host-owned, valid for the life of the process. */
  const weft_storage_backend* (*storage_backend)(weft_ctx* ctx, weft_str name);

  /* -- credentials (ABI 1.2; check `size` covers it before calling on an older host) ----- */

  /* The credential named by the running node's parameter `parameter` (only in a node's
   * execute call). The parameter must be declared `"type": "credential"` in the node's
   * description; its value in the workflow is a literal credential id (never an expression).
   * The host checks that the credential is of one of the parameter's `credentialTypes` and that
   * the workflow's owner may use it, records the read in its audit log, opens its secret
   * fields and writes to *out the object {"id": string, "type": string, "data": {fields}}.
   * OWNERSHIP: *out is owned by ctx and valid until the call returns; the plugin must not keep
   * it, copy a secret into an emitted item, a log line or an error message.
   * Errors, with a reason recorded as by fail() that names node and parameter and never a
   * value: WEFT_ERR_NOT_FOUND (parameter unset, or no such credential), WEFT_ERR_INVALID (not
   * a credential parameter, or a credential of another type), WEFT_ERR_NODE (access denied),
   * WEFT_ERR_UNAVAILABLE (the host has no credential store, or it is down). */
  weft_status (*credential)(weft_ctx* ctx, weft_str parameter, const weft_value** out);
} weft_host;

/* ---------------------------------------------------------------------------------------
 * Node types.
 * ------------------------------------------------------------------------------------- */
typedef struct weft_node_type {
  uint32_t size;
  weft_str name;            /* "vendor.thing", e.g. "weft.set"; unique with type_version   */
  uint32_t type_version;    /* integer version; a workflow pins the version it was built on  */
  /* JSON description: {"displayName", "description", "inputs": [...port names],
   * "outputs": [...port names], "parameters": [{"name","type","required","default",
   * "description"}], "trigger": bool, "outputsFrom": {"parameter": p, "extra": n}}.
   * ABI 1.2: a parameter of "type": "credential" holds a credential id and lists the credential
   * types it takes in "credentialTypes": [...] (read it with host->credential); any parameter
   * may carry "requiredWhen": {"parameter": other, "in": [values]}: then it is required when
   * the other parameter's literal value (or its default) is one of those values.
   * OWNERSHIP: the plugin's static storage; the host copies it during registration. */
  weft_str description_json;
  /* Optional (may be NULL). Creates per-execution node state before the first execute call.
   * OWNERSHIP: *instance belongs to the plugin and is released only by destroy. */
  weft_status (*create)(weft_ctx* ctx, void** instance);
  /* Runs the node once over its inputs. `instance` is what create returned, or NULL. */
  weft_status (*execute)(void* instance, weft_ctx* ctx);
  /* Optional. Releases what create returned. Called exactly once per successful create. */
  void (*destroy)(void* instance);
} weft_node_type;

/* ---------------------------------------------------------------------------------------
 * Storage backends.
 *
 * A backend keeps JSON documents in named collections. Every document has an `id` (string),
 * a `version` (1 on its first write, +1 on each write after) and up to three string and three
 * integer index fields, declared per collection when the store is opened, on which queries
 * filter and order. The domain (workflows, executions, ...) lives in the host above this
 * contract; a backend knows nothing of it.
 *
 * Requests and results are host values (JSON), so the contract grows by adding fields, not
 * functions. Their shapes are specified in sdk/STORAGE.md. Every result a backend returns is a
 * value it built in the call's ctx (OWNERSHIP: ctx-owned, read by the host before the call's
 * ctx ends). Error codes: WEFT_ERR_NOT_FOUND, WEFT_ERR_CONFLICT (version mismatch or duplicate),
 * WEFT_ERR_UNAVAILABLE (retryable: the database is down or busy), WEFT_ERR_INVALID (bad
 * request). A backend is called from many threads at once: it must be thread-safe.
 * ------------------------------------------------------------------------------------- */
struct weft_storage_backend {
  uint32_t size;
  weft_str name;             /* "memory", "sqlite", "postgres", "dual", ...                */
  /* {"displayName", "description", "durable": bool, "config": [{"name","type",...}]}.
   * OWNERSHIP: the plugin's static storage; the host copies it during registration. */
  weft_str description_json;
  /* Opens a store with `config` ({"collections": {...}, backend options}). OWNERSHIP:
   * *store belongs to the plugin until close(*store). */
  weft_status (*open)(weft_ctx* ctx, const weft_value* config, void** store);
  /* Releases the store. Called once, after every other call on it has returned. */
  void (*close)(void* store);
  /* Reads one document: *record = {"id","version","body","index"}; NOT_FOUND when absent. */
  weft_status (*get)(void* store, weft_ctx* ctx, weft_str collection, weft_str id,
                     weft_value** record);
  /* Applies an atomic batch {"writes": [...]}: all or nothing. *result = {"versions": [...]}. */
  weft_status (*write)(void* store, weft_ctx* ctx, const weft_value* batch,
                       weft_value** result);
  /* Runs a query; *page = {"items": [records], "nextCursor": string|null}. */
  weft_status (*query)(void* store, weft_ctx* ctx, const weft_value* query, weft_value** page);
  /* Claims up to N ready jobs for one owner; no job is handed to two owners while its lease
   * holds. *claimed = {"items": [records]}. */
  weft_status (*claim)(void* store, weft_ctx* ctx, const weft_value* request,
                       weft_value** claimed);
  /* Administration: {"op": "status"|"migrate"|"rollback"|"stats"|"ping", ...}. */
  weft_status (*admin)(void* store, weft_ctx* ctx, const weft_value* request,
                       weft_value** response);
};

/* ---------------------------------------------------------------------------------------
 * Auth providers (ABI 1.1).
 *
 * A provider recognises one kind of credential on an HTTP request and verifies it; the host
 * resolves what the provider vouches for (a key, a user) to a principal from its own store on
 * every request, so a revoked key, a disabled user or a changed role takes effect at once.
 * The admin orders providers in the config (`auth.providers`); the host asks each in turn.
 *
 * Requests and results are host values (JSON); their shapes are specified in sdk/AUTH.md.
 * A provider is called from many threads at once: it must be thread-safe.
 * ------------------------------------------------------------------------------------- */
struct weft_auth_provider {
  uint32_t size;
  weft_str name;             /* "weft.api_key", "weft.password", "vendor.sso", ...          */
  /* {"displayName", "description", "credential": "what it reads", "challenge": the
   *  WWW-Authenticate value of its scheme (optional), "config": [...]}.
   * OWNERSHIP: the plugin's static storage; the host copies it during registration. */
  weft_str description_json;
  /* Opens an instance with `config` (the provider's section of the host config, an object).
   * OWNERSHIP: *instance belongs to the plugin until close(*instance). */
  weft_status (*open)(weft_ctx* ctx, const weft_value* config, void** instance);
  /* Releases the instance. Called once, after every other call on it has returned. */
  void (*close)(void* instance);
  /* Examines a request {"method", "path", "headers": {lower-case name: value}, "remoteAddress"}.
   *  - WEFT_OK: the request carries a credential of this provider's kind and it verified;
   *    *claim says what it vouches for (sdk/AUTH.md, "Claims"), built in ctx.
   *  - WEFT_ERR_NOT_FOUND: no credential of this kind; the host asks the next provider.
   *  - WEFT_ERR_INVALID: a credential of this kind that does not verify (malformed, bad
   *    signature, expired); the host answers 401 without asking further providers. */
  weft_status (*authenticate)(void* instance, weft_ctx* ctx, const weft_value* request,
                              weft_value** claim);
  /* Optional (may be NULL). Provider-specific operations, e.g. {"op": "issue"} to mint a new
   * credential (sdk/AUTH.md, "Operations"); WEFT_ERR_UNSUPPORTED for an unknown op.
   * *response is built in ctx. */
  weft_status (*invoke)(void* instance, weft_ctx* ctx, const weft_value* request,
                        weft_value** response);
};

/* Registrar: valid only during init. Registration copies everything it is given. */
typedef struct weft_registrar {
  uint32_t size;
  weft_status (*register_node)(weft_ctx* ctx, const weft_node_type* type);
  weft_status (*register_storage)(weft_ctx* ctx, const weft_storage_backend* backend);
  /* ABI 1.1; check `size` covers it before calling on an older host. */
  weft_status (*register_auth)(weft_ctx* ctx, const weft_auth_provider* provider);
  /* ABI 1.2; check `size` covers it before calling on an older host. Declares a credential
   * type: `description_json` is
   *   {"name": "vendor.thing", "displayName": string, "description": string,
   *    "fields": [{"name": string, "type": "string"|"boolean"|"integer", "required": bool,
   *                "secret": bool, "description": string, "format": rule (optional)}]}
   * where `format` names a check the host runs on a string field when a credential is saved
   * (no plugin code ever sees credential data at save time): "httpHeaderName" (an RFC 9110
   * token), "httpHeaderValue" (no control characters), "noColon" (no ':' and no control
   * characters), "noControl" (no control characters). A secret field is encrypted at rest,
   * never returned by the API and never written to a log or an error. The host refuses a
   * malformed declaration, an unknown format or a name another plugin declared, naming plugin
   * and type. OWNERSHIP: borrowed for the call; the host copies it. */
  weft_status (*register_credential_type)(weft_ctx* ctx, weft_str description_json);
} weft_registrar;

/* ---------------------------------------------------------------------------------------
 * The manifest returned by the entry symbol.
 * OWNERSHIP: the manifest and the strings it points to are the plugin's static storage and
 * must stay valid while the library is loaded (which is until the process exits).
 * ------------------------------------------------------------------------------------- */
typedef struct weft_plugin_manifest {
  uint32_t size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* name;     /* NUL-terminated, e.g. "weft-core-set"                         */
  const char* version;  /* NUL-terminated semver of the plugin, e.g. "1.2.0"            */
  const char* build_id; /* NUL-terminated, free-form: commit, build date                */
  /* Registers what the plugin offers. On failure call host->fail(ctx, ...) and return it;
   * the host then refuses the plugin and discards what it registered. */
  weft_status (*init)(const weft_host* host, const weft_registrar* registrar, weft_ctx* ctx);
  /* Optional. Called once at host shutdown after every execution has drained. */
  void (*shutdown)(void);
} weft_plugin_manifest;

typedef const weft_plugin_manifest* (*weft_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WEFT_ABI_H */
