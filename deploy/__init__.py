"""Running the dashboard as several processes behind a load balancer (deploy/balanced.py)."""
