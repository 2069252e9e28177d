-- The earlier system's prices per million tokens (USD), in micro-USD per million tokens, version 1.
INSERT INTO model_prices (model, version, provider, input_micros_per_mtok, output_micros_per_mtok, effective_from)
VALUES ('gpt-4o',           1, 'openai',    2500000, 10000000, '2024-01-01T00:00:00Z'),
       ('gpt-4o-mini',      1, 'openai',     150000,   600000, '2024-01-01T00:00:00Z'),
       ('claude-sonnet',    1, 'anthropic', 3000000, 15000000, '2024-01-01T00:00:00Z'),
       ('claude-opus',      1, 'anthropic',15000000, 75000000, '2024-01-01T00:00:00Z'),
       ('gemini-2.0-flash', 1, 'google',     250000,   500000, '2024-01-01T00:00:00Z'),
       ('gemini-1.5-pro',   1, 'google',    1250000,  3750000, '2024-01-01T00:00:00Z'),
       ('llama-3.3-70b',    1, 'meta',       590000,   790000, '2024-01-01T00:00:00Z'),
       ('mixtral-8x7b',     1, 'mistral',    270000,   270000, '2024-01-01T00:00:00Z');
