# What sits in front of the public load balancer: an ACM certificate validated through Route 53 when
# a hosted zone is given, and a regional WAFv2 web ACL (AWS managed rule groups and a per-IP rate
# limit) with its logs in a KMS-encrypted CloudWatch log group. The AWS Load Balancer Controller
# attaches both through Ingress annotations (certificate-arn, wafv2-acl-arn).

locals {
  certificate = var.domain_name != null && var.hosted_zone_id != null
  validation  = local.certificate ? { for o in aws_acm_certificate.this[0].domain_validation_options : o.domain_name => o } : {}
  managed_rule_groups = concat(
    ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesAmazonIpReputationList"],
    var.waf_sqli_rules ? ["AWSManagedRulesSQLiRuleSet"] : [],
  )
}

resource "aws_acm_certificate" "this" {
  count                     = local.certificate ? 1 : 0
  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  validation_method         = "DNS"
  key_algorithm             = "EC_prime256v1"
  tags                      = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

# Keyed by the configured names (known at plan time); the record values come from ACM.
resource "aws_route53_record" "validation" {
  for_each        = local.certificate ? toset(concat([var.domain_name], var.subject_alternative_names)) : toset([])
  zone_id         = var.hosted_zone_id
  name            = local.validation[each.key].resource_record_name
  type            = local.validation[each.key].resource_record_type
  records         = [local.validation[each.key].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count                   = local.certificate ? 1 : 0
  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}

resource "aws_wafv2_web_acl" "this" {
  count       = var.waf_enabled ? 1 : 0
  name        = var.name
  description = "Public load balancer of ${var.name}"
  scope       = "REGIONAL"
  tags        = var.tags

  default_action {
    allow {}
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  # Known bad inputs (Log4Shell JNDI lookups, exploit paths) written out rather than in the list below,
  # so static scanners (checkov CKV_AWS_192) can see it.
  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = local.managed_rule_groups
    content {
      name     = rule.value
      priority = rule.key + 2
      override_action {
        none {}
      }
      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.value
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.value}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

# WAF only logs into log groups whose name starts with aws-waf-logs-.
resource "aws_cloudwatch_log_group" "waf" {
  count             = var.waf_enabled ? 1 : 0
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  count                   = var.waf_enabled ? 1 : 0
  resource_arn            = aws_wafv2_web_acl.this[0].arn
  log_destination_configs = [aws_cloudwatch_log_group.waf[0].arn]

  # Never log credentials.
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
}
