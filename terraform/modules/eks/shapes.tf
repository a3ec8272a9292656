# vCPUs, memory (MiB) and GPUs of the x86_64 instance types node groups may use, from the EC2 instance
# type specifications (aws ec2 describe-instance-types). cluster-autoscaler builds one template node per
# node group and assumes every instance type of the group has its CPU, memory and GPUs, so a group may
# only mix types of one shape (validated in variables.tf). Add a type here, with its published
# specification, before using it in an inventory.
locals {
  instance_shapes = merge(
    # burstable
    { for f in ["t3", "t3a"] : "${f}.medium" => { vcpu = 2, memory_mib = 4096, gpus = 0 } },
    { for f in ["t3", "t3a"] : "${f}.large" => { vcpu = 2, memory_mib = 8192, gpus = 0 } },
    { for f in ["t3", "t3a"] : "${f}.xlarge" => { vcpu = 4, memory_mib = 16384, gpus = 0 } },
    { for f in ["t3", "t3a"] : "${f}.2xlarge" => { vcpu = 8, memory_mib = 32768, gpus = 0 } },
    # general purpose (4 GiB per vCPU)
    merge([for f in ["m5", "m5a", "m6i", "m6a", "m7i", "m7a"] : {
      "${f}.large"   = { vcpu = 2, memory_mib = 8192, gpus = 0 }
      "${f}.xlarge"  = { vcpu = 4, memory_mib = 16384, gpus = 0 }
      "${f}.2xlarge" = { vcpu = 8, memory_mib = 32768, gpus = 0 }
      "${f}.4xlarge" = { vcpu = 16, memory_mib = 65536, gpus = 0 }
    }]...),
    # compute optimised (2 GiB per vCPU)
    merge([for f in ["c5", "c5a", "c6i", "c6a", "c7i", "c7a"] : {
      "${f}.large"   = { vcpu = 2, memory_mib = 4096, gpus = 0 }
      "${f}.xlarge"  = { vcpu = 4, memory_mib = 8192, gpus = 0 }
      "${f}.2xlarge" = { vcpu = 8, memory_mib = 16384, gpus = 0 }
      "${f}.4xlarge" = { vcpu = 16, memory_mib = 32768, gpus = 0 }
    }]...),
    # memory optimised (8 GiB per vCPU)
    merge([for f in ["r5", "r5a", "r6i", "r6a", "r7i", "r7a"] : {
      "${f}.large"   = { vcpu = 2, memory_mib = 16384, gpus = 0 }
      "${f}.xlarge"  = { vcpu = 4, memory_mib = 32768, gpus = 0 }
      "${f}.2xlarge" = { vcpu = 8, memory_mib = 65536, gpus = 0 }
      "${f}.4xlarge" = { vcpu = 16, memory_mib = 131072, gpus = 0 }
    }]...),
    # one NVIDIA GPU (AL2023_x86_64_NVIDIA)
    {
      "g4dn.xlarge"  = { vcpu = 4, memory_mib = 16384, gpus = 1 }
      "g4dn.2xlarge" = { vcpu = 8, memory_mib = 32768, gpus = 1 }
      "g5.xlarge"    = { vcpu = 4, memory_mib = 16384, gpus = 1 }
      "g5.2xlarge"   = { vcpu = 8, memory_mib = 32768, gpus = 1 }
    },
  )
}

# For the node_groups validation message (variables.tf).
locals {
  shape_labels = { for t, s in local.instance_shapes : t => "${s.vcpu} vCPU/${s.memory_mib} MiB/${s.gpus} GPU" }
}
