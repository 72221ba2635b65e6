"""The serverless chain on AWS: Lambda handlers (thin edges over the same router) and what they share with the CDK
app (`contract.py`). Needs the `aws` extra."""
