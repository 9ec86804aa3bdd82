import requests
import json
from datetime import datetime, timezone

def process_writes(influxdb3_local, table_batches, args=None):
    """
    Writes plugin that monitors GitHub PR activity and checks Kapa.ai source ingestion.
    
    This plugin triggers when new data is written to the gh table. It checks if accumulated 
    PR lines since the last Kapa.ai source ingestion exceed a threshold, and if so, 
    generates an alert.
    
    Args:
        influxdb3_local: Local InfluxDB API client
        table_batches: Batches of data written to tables
        args: Optional arguments passed from the trigger configuration
            - source_name: Kapa.ai source name to monitor (default: "Documentation")
            - repo: GitHub repository (default: "influxdata/docs-v2")
            - severity_threshold: Line count threshold for severity warning (default: 100)
            - kapa_token: Kapa.ai API token
            - project_id: Kapa.ai project ID
    
    Returns:
        Dictionary containing response data
    """
    # Extract arguments or use defaults
    if not args:
        args = {}
    
    source_name = args.get("source_name", "Documentation")
    repo = args.get("repo", "influxdata/docs-v2")
    severity_threshold = int(args.get("severity_threshold", 100))
    kapa_token = args.get("kapa_token", "")
    project_id = args.get("project_id", "")
    
    # Check if any gh table writes match our criteria (activity_type = "pr_merge")
    has_pr_activity = False
    for table_batch in table_batches:
        if table_batch["table_name"] == "gh":
            for row in table_batch["rows"]:
                if row.get("activity_type") == "pr_merge" and row.get("repo") == repo:
                    has_pr_activity = True
                    break
            if has_pr_activity:
                break
    
    # Skip processing if no relevant PR activity
    if not has_pr_activity:
        return {"status": "skipped", "reason": "No relevant PR merge activity"}
    
    # Initialize results
    results = {
        "status": "success",
        "data": {},
        "errors": []
    }
    
    # Validate required parameters for Kapa.ai API
    if not all([kapa_token, project_id]):
        error_msg = "Missing required Kapa.ai parameters (kapa_token, project_id)"
        influxdb3_local.error(error_msg)
        results["status"] = "error"
        results["errors"].append(error_msg)
        return results
    
    try:
        # Call Kapa.ai API directly to get source information
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "X-API-KEY": kapa_token
        }
        
        # Make API request to get sources
        url = f"https://api.kapa.ai/ingestion/v1/projects/{project_id}/sources/"
        influxdb3_local.info(f"Requesting source data from Kapa.ai API")
        
        response = requests.get(url, headers=headers)
        
        # Check for API errors
        if response.status_code != 200:
            error_msg = f"Kapa API error: {response.status_code} - {response.text}"
            influxdb3_local.error(error_msg)
            results["errors"].append(error_msg)
            return results
        
        # Parse response to find the specified source
        kapa_data = response.json()
        sources = kapa_data.get("results", [])
        
        # Find the exact matching source
        target_source = None
        for source in sources:
            if source.get("name") == source_name:
                target_source = source
                break
        
        if not target_source:
            error_msg = f"Source '{source_name}' not found in Kapa.ai"
            influxdb3_local.warn(error_msg)
            results["errors"].append(error_msg)
            return results
        
        # Extract ingestion time
        ingestion_time = None
        if target_source.get("ingested_at"):
            ingestion_time = datetime.fromisoformat(target_source["ingested_at"].replace("Z", "+00:00"))
        else:
            error_msg = f"Source '{source_name}' has no ingestion timestamp"
            influxdb3_local.warn(error_msg)
            results["errors"].append(error_msg)
            return results
        
        # Format for database query
        ingestion_time_str = ingestion_time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        
        # Query the database for PR data since last ingestion
        pr_query = f"""
        SELECT SUM(lines) as total_lines, COUNT(*) as pr_count
        FROM gh
        WHERE repo = '{repo}' AND ref = 'master' AND activity_type = 'pr_merge' AND time > '{ingestion_time_str}'
        """
        
        pr_records = influxdb3_local.query(pr_query)
        
        # Get PR stats
        if not pr_records or len(pr_records) == 0:
            total_lines = 0
            pr_count = 0
        else:
            pr_data = pr_records[0]
            total_lines = int(pr_data.get("total_lines") or 0)
            pr_count = int(pr_data.get("pr_count") or 0)
        
        # Calculate days since ingestion
        current_time = datetime.now(timezone.utc)
        days_difference = (current_time - ingestion_time).total_seconds() / 86400
        
        # Create status data
        status = {
            "source_name": source_name,
            "source_id": target_source.get("id"),
            "last_ingestion": ingestion_time.isoformat(),
            "days_since_ingestion": round(days_difference, 1),
            "pr_count": pr_count,
            "total_lines": total_lines,
            "needs_update": total_lines > 0,
            "threshold": severity_threshold
        }
        
        results["data"] = status
        
        # Only generate status and alerts if PR lines were found
        if total_lines > 0:
            influxdb3_local.info(f"Found {pr_count} PRs with {total_lines} lines changed since last ingestion of '{source_name}'")
            
            # Write status data to the database
            line = LineBuilder("integration_status")
            line.tag("repo", repo)
            line.tag("source_name", source_name)
            line.int64_field("days_since_ingestion", int(days_difference))
            line.int64_field("prs_since_ingestion", pr_count)
            line.int64_field("lines_since_ingestion", total_lines)
            line.int64_field("needs_update", 1)
            line.int64_field("severity_threshold", severity_threshold)
            
            influxdb3_local.write(line)
            
            # Generate alert based on severity threshold
            severity = "info" if total_lines < severity_threshold else "warning"
            
            alert_line = LineBuilder("documentation_alert")
            alert_line.tag("repo", repo)
            alert_line.tag("source_name", source_name)
            alert_line.tag("severity", severity)
            alert_line.string_field("message", 
                f"{source_name} needs update: {pr_count} PRs with {total_lines} lines changed in the last {days_difference:.1f} days")
            alert_line.int64_field("lines_changed", total_lines)
            alert_line.int64_field("days_since_ingestion", int(days_difference))
            
            influxdb3_local.write(alert_line)
            
            influxdb3_local.info(f"Generated {severity} alert for {source_name}")
        else:
            influxdb3_local.info(f"No PR changes since last ingestion of '{source_name}'")
    
    except requests.exceptions.RequestException as e:
        error_msg = f"Failed to call Kapa.ai API: {str(e)}"
        influxdb3_local.error(error_msg)
        results["errors"].append(error_msg)
    except Exception as e:
        error_msg = f"Error during integration monitoring: {str(e)}"
        influxdb3_local.error(error_msg)
        results["errors"].append(error_msg)
    
    return results
