-- A tenant's LLM provider settings: the provider and model its analyses call, where (base_url, checked by the
-- destination guard when set), and the provider's API key sealed by crypto-service (purpose llm_api_key). Only a
-- ciphertext of this suite is ever stored: the CHECK refuses a plaintext key or a Fernet token of the earlier system.
CREATE TABLE llm_settings (
    tenant_id          uuid        PRIMARY KEY,
    provider           text        NOT NULL
                                   CHECK (provider IN ('openai', 'vllm', 'ollama', 'litellm', 'openai-compatible')),
    model              text        NOT NULL,
    base_url           text,
    api_key_ciphertext text        CHECK (api_key_ciphertext LIKE 'cs:v%'),
    key_set_at         timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((api_key_ciphertext IS NULL) = (key_set_at IS NULL)),
    CHECK (provider = 'openai' OR base_url IS NOT NULL)
);
CALL cs_protect_tenant_table('llm_settings');

-- GET /api/v1/llm/usage sums a tenant's settled holds of the last days: without this it read all the tenant's holds.
CREATE INDEX budget_holds_settled_idx ON budget_holds (tenant_id, finished_at) WHERE status = 'SETTLED';
