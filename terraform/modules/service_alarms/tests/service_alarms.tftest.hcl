# Plan-time assertions with a mocked provider (the shared mocks of terraform/testing/aws).

mock_provider "aws" {
  source = "../../testing/aws"
}

variables {
  name                    = "chatbot-test"
  kms_key_arn             = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  redis_cluster_ids       = ["chatbot-test-redis-001", "chatbot-test-redis-002"]
  dead_letter_queue_names = ["chatbot-test-backend-dlq"]
  alb_arn_suffixes        = ["app/k8s-chatbot-0123456789/0123456789abcdef"]
}

run "every_alarm_notifies_the_encrypted_topic" {
  command = plan

  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == var.kms_key_arn
    error_message = "The alarm topic is encrypted with the given key."
  }

  assert {
    condition     = [for kind in ["redis_cpu", "redis_memory", "dlq_not_empty", "alb_5xx"] : length(output.alarm_names[kind])] == [2, 2, 1, 2]
    error_message = "One CPU and one memory alarm per Redis node, one per dead-letter queue, ELB and target 5xx per ALB."
  }

  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) : startswith(a.alarm_name, "chatbot-test-")])
    error_message = "Alarm names start with the name the topic policy admits."
  }
}

run "dead_letter_queue_alarms_on_the_first_message" {
  command = plan

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["dlq_not_empty/chatbot-test-backend-dlq"].threshold == 0
      && aws_cloudwatch_metric_alarm.this["dlq_not_empty/chatbot-test-backend-dlq"].comparison_operator == "GreaterThanThreshold"
      && aws_cloudwatch_metric_alarm.this["dlq_not_empty/chatbot-test-backend-dlq"].metric_name == "ApproximateNumberOfMessagesVisible"
      && aws_cloudwatch_metric_alarm.this["dlq_not_empty/chatbot-test-backend-dlq"].dimensions.QueueName == "chatbot-test-backend-dlq"
    )
    error_message = "A dead-letter queue alarms as soon as it holds one visible message."
  }
}

run "topic_accepts_only_this_accounts_alarms" {
  command = plan

  assert {
    condition = (
      one(data.aws_iam_policy_document.topic.statement).actions == toset(["sns:Publish"])
      && one(one(data.aws_iam_policy_document.topic.statement).principals).identifiers == toset(["cloudwatch.amazonaws.com"])
      && contains([for c in one(data.aws_iam_policy_document.topic.statement).condition : c.values if c.variable == "aws:SourceAccount"], tolist(["111122223333"]))
    )
    error_message = "Only CloudWatch, for alarms of this account, may publish to the topic."
  }
}

run "alb_suffix_must_be_the_dimension_form" {
  command = plan

  variables {
    alb_arn_suffixes = ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/x/0123"]
  }

  expect_failures = [var.alb_arn_suffixes]
}
