"""The GraphQL API that front-end apps use."""
