"""The LINE work queue: webhook events and deliveries to LINE, stored in the api's database."""
