"""MES AI core: settings, retrieval, drafting, tiers, chat service, storage, CLI."""
