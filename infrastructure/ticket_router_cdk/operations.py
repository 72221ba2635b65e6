"""Operations: alarms (error rate, dead letters, p99 latency over 3 s, throttles) on one SNS topic, a CloudWatch
dashboard, and an AWS Budgets alarm on the stage's monthly cost."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ticket_router.aws import contract
from ticket_router_cdk.stages import StageSettings

FIVE_MINUTES = Duration.minutes(5)
ERROR_RATE_PERCENT = 1
# The tag the stage's budget filters on (activate it once as a cost allocation tag in the Billing console).
STAGE_TAG = "ticket-router-stage"
# Functions whose p99 duration is part of a ticket's time to decision (update delivers afterwards, with backoff).
LATENCY_BOUND = (contract.INGEST.name, contract.ROUTE.name, contract.API.name)


class Operations(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings, prefix: str,
                 aliases: dict[str, lambda_.Alias], dead_letter_queues: list[sqs.Queue],
                 work_queues: list[sqs.Queue], rest_api: apigw.RestApi) -> None:
        super().__init__(scope, construct_id)
        self._prefix = prefix
        self.topic = sns.Topic(self, "AlarmTopic", topic_name=f"{prefix}-alarms", enforce_ssl=True)
        if stage.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(stage.alarm_email))
        self.alarms: list[cloudwatch.Alarm] = []
        # Per function: the alarms CodeDeploy also watches during a canary (they are on the `live` alias).
        self.function_alarms: dict[str, list[cloudwatch.Alarm]] = {}
        for name, alias in aliases.items():
            rate = cloudwatch.MathExpression(
                expression="100 * errors / MAX([invocations, 1])", period=FIVE_MINUTES, label=f"{name} error %",
                using_metrics={"errors": alias.metric_errors(period=FIVE_MINUTES, statistic="Sum"),
                               "invocations": alias.metric_invocations(period=FIVE_MINUTES, statistic="Sum")})
            own = [
                self._alarm(f"{name}-error-rate", rate, ERROR_RATE_PERCENT,
                            f"{name}: more than {ERROR_RATE_PERCENT}% of invocations failed"),
                self._alarm(f"{name}-throttles", alias.metric_throttles(period=FIVE_MINUTES, statistic="Sum"), 0,
                            f"{name}: invocations throttled (reserved concurrency reached)"),
            ]
            if name in LATENCY_BOUND:
                own.append(self._alarm(
                    f"{name}-p99-latency", alias.metric_duration(period=FIVE_MINUTES, statistic="p99"),
                    stage.latency_alarm_ms, f"{name}: p99 duration above {stage.latency_alarm_ms} ms"))
            self.function_alarms[name] = own
        for queue in dead_letter_queues:
            self._alarm(f"{queue.node.id}-depth",
                        queue.metric_approximate_number_of_messages_visible(period=Duration.minutes(1),
                                                                            statistic="Maximum"),
                        0, "messages in a dead-letter queue: see `ticket-router aws redrive`")
        self._alarm("gateway-p99-latency", rest_api.metric_latency(period=FIVE_MINUTES, statistic="p99"),
                    stage.latency_alarm_ms, f"API p99 latency above {stage.latency_alarm_ms} ms")
        self._alarm("gateway-5xx", rest_api.metric_server_error(period=FIVE_MINUTES, statistic="Sum"), 0,
                    "API answered 5xx")
        self.dashboard = self._dashboard(aliases, dead_letter_queues, work_queues, rest_api)
        self.budget = self._budget(stage)

    def _alarm(self, name: str, metric: cloudwatch.IMetric, threshold: float, description: str) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self, name, alarm_name=f"{self._prefix}-{name}", metric=metric, threshold=threshold,
            evaluation_periods=1, alarm_description=description,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING)
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm

    def _dashboard(self, aliases: dict[str, lambda_.Alias], dead_letter_queues: list[sqs.Queue],
                   work_queues: list[sqs.Queue], rest_api: apigw.RestApi) -> cloudwatch.Dashboard:
        def graph(title: str, metrics: list[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, left=metrics, width=8)

        fns = list(aliases.values())
        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=self._prefix)
        dashboard.add_widgets(
            graph("API requests, 4xx, 5xx", [rest_api.metric_count(), rest_api.metric_client_error(),
                                             rest_api.metric_server_error()]),
            graph("API latency p50 / p99 (ms)", [rest_api.metric_latency(statistic="p50"),
                                                 rest_api.metric_latency(statistic="p99")]),
            graph("Function errors", [f.metric_errors() for f in fns]),
        )
        dashboard.add_widgets(
            graph("Function duration p99 (ms)", [f.metric_duration(statistic="p99") for f in fns]),
            graph("Function throttles", [f.metric_throttles() for f in fns]),
            graph("Queue depth and age", [m for q in work_queues for m in (
                q.metric_approximate_number_of_messages_visible(),
                q.metric_approximate_age_of_oldest_message())]),
        )
        def emf(name: str, statistic: str) -> cloudwatch.Metric:  # Powertools' metrics from the handlers
            return cloudwatch.Metric(namespace=contract.METRICS_NAMESPACE, metric_name=name, statistic=statistic,
                                     dimensions_map={"service": contract.SERVICE_NAME}, label=f"{name} {statistic}")

        dashboard.add_widgets(
            graph("Decisions: routed, review rate, confidence", [
                emf("TicketsRouted", "Sum"), emf("NeedsReview", "Average"), emf("Confidence", "Average")]),
            graph("Routing latency p50 / p99 (ms)", [emf("RoutingLatency", "p50"), emf("RoutingLatency", "p99")]),
            graph("Dead letters", [q.metric_approximate_number_of_messages_visible() for q in dead_letter_queues]),
        )
        dashboard.add_widgets(cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=24))
        return dashboard

    def _budget(self, stage: StageSettings) -> budgets.CfnBudget:
        self.topic.add_to_resource_policy(iam.PolicyStatement(
            actions=["sns:Publish"], principals=[iam.ServicePrincipal("budgets.amazonaws.com")],
            resources=[self.topic.topic_arn]))
        subscribers = [budgets.CfnBudget.SubscriberProperty(subscription_type="SNS", address=self.topic.topic_arn)]

        def notify(kind: str, percent: float) -> budgets.CfnBudget.NotificationWithSubscribersProperty:
            return budgets.CfnBudget.NotificationWithSubscribersProperty(
                notification=budgets.CfnBudget.NotificationProperty(
                    notification_type=kind, comparison_operator="GREATER_THAN", threshold=percent,
                    threshold_type="PERCENTAGE"),
                subscribers=subscribers)

        return budgets.CfnBudget(
            self, "Budget",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_name=self._prefix, budget_type="COST", time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(amount=stage.monthly_budget_usd, unit="USD"),
                cost_filters={"TagKeyValue": [f"user:{STAGE_TAG}${stage.name}"]}),
            notifications_with_subscribers=[notify("ACTUAL", 80), notify("FORECASTED", 100)],
        )
