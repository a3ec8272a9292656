# Plan-time assertions with a mocked provider: no AWS account needed.

mock_provider "aws" {
  # Shared defaults of the data-service modules (ARNs, account, region, policy JSON).
  source = "../../testing/aws"
}

variables {
  name            = "chatbot-test"
  log_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/logs"
}

run "waf_without_certificate" {
  command = plan

  assert {
    condition     = length(aws_acm_certificate.this) == 0 && length(aws_route53_record.validation) == 0
    error_message = "No certificate without a domain name and hosted zone."
  }

  assert {
    condition     = aws_wafv2_web_acl.this[0].scope == "REGIONAL"
    error_message = "An ALB needs a REGIONAL web ACL."
  }

  assert {
    condition     = toset([for r in aws_wafv2_web_acl.this[0].rule : r.name]) == toset(["rate-limit-per-ip", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"])
    error_message = "Rate limit plus the common, known-bad-inputs and IP-reputation managed groups."
  }

  assert {
    condition     = length(distinct([for r in aws_wafv2_web_acl.this[0].rule : r.priority])) == length(aws_wafv2_web_acl.this[0].rule)
    error_message = "Every WAF rule needs its own priority."
  }

  assert {
    condition     = startswith(aws_cloudwatch_log_group.waf[0].name, "aws-waf-logs-") && aws_cloudwatch_log_group.waf[0].kms_key_id == var.log_kms_key_arn
    error_message = "WAF logs go to an encrypted aws-waf-logs-* group."
  }

  assert {
    condition     = toset([for f in aws_wafv2_web_acl_logging_configuration.this[0].redacted_fields : one(f.single_header).name]) == toset(["authorization", "cookie"])
    error_message = "Credentials must be redacted from WAF logs."
  }
}

run "certificate_validated_in_route53" {
  command = plan

  variables {
    domain_name    = "chatbot.example.com"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
    waf_sqli_rules = true
  }

  override_resource {
    target          = aws_acm_certificate.this[0]
    override_during = plan
    values = {
      arn = "arn:aws:acm:eu-west-1:111122223333:certificate/mock"
      domain_validation_options = [{
        domain_name           = "chatbot.example.com"
        resource_record_name  = "_x.chatbot.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_y.acm-validations.aws."
      }]
    }
  }

  assert {
    condition     = aws_acm_certificate.this[0].validation_method == "DNS" && length(aws_route53_record.validation) == 1
    error_message = "DNS validation with one record per name."
  }

  assert {
    condition     = contains([for r in aws_wafv2_web_acl.this[0].rule : r.name], "AWSManagedRulesSQLiRuleSet")
    error_message = "waf_sqli_rules adds the SQL injection group."
  }

  assert {
    condition     = length(distinct([for r in aws_wafv2_web_acl.this[0].rule : r.priority])) == 5
    error_message = "Five rules, five distinct priorities."
  }
}
