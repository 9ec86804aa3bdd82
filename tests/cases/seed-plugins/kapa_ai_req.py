import requests
import json
from datetime import datetime, timedelta, timezone

def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
    """
    Request plugin that retrieves Kapa.ai source data and writes it to the database using line protocol.
    
    This plugin creates an HTTP endpoint that accepts parameters via query string or JSON body
    and returns the processed Kapa.ai data while also writing it to the database.
    
    Args:
        influxdb3_local: Local InfluxDB API client
        query_parameters: Dictionary of query parameters from the URL
        request_headers: Dictionary of HTTP request headers
        request_body: Request body as a string
        args: Optional arguments passed from the trigger configuration
    
    Returns:
        Dictionary containing response data (automatically converted to JSON)
    """
    # Parse request body if provided
    request_data = {}
    if request_body:
        try:
            request_data = json.loads(request_body)
        except json.JSONDecodeError:
            influxdb3_local.warn("Invalid JSON in request body")
    
    # Get project_id from request parameters or return error if not provided
    project_id = request_data.get("project_id") or query_parameters.get("project_id")
    if not project_id:
        error_msg = "Missing required parameter: project_id"
        influxdb3_local.error(error_msg)
        return {"status": "error", "message": error_msg}
    
    # Get integration_id from request parameters or return error if not provided
    integration_id = request_data.get("integration_id") or query_parameters.get("integration_id")
    if not integration_id:
        error_msg = "Missing required parameter: integration_id"
        influxdb3_local.error(error_msg)
        return {"status": "error", "message": error_msg}
    
    # Get Kapa API token from request or trigger args
    kapa_token = (
        request_data.get("kapa_token") or 
        query_parameters.get("kapa_token") or 
        (args and args.get("kapa_token"))
    )
    
    if not kapa_token:
        error_msg = "Missing required parameter: kapa_token"
        influxdb3_local.error(error_msg)
        return {"status": "error", "message": error_msg}
    
    # Set up Kapa.ai API request headers with authentication
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-API-KEY": kapa_token
    }

    # Set up Kapa.ai request data
    payload = {
        "integration_id": integration_id
    }
    
    try:
        # Make API request to get sources for the project
        url = f"https://api.kapa.ai/ingestion/v1/projects/{project_id}/sources/"
        influxdb3_local.info(f"Requesting data from: {url}")
        
        # For GET requests, parameters should be in query string not body
        response = requests.get(url, headers=headers)
        
        # Check for API errors
        if response.status_code != 200:
            error_msg = f"Kapa API error: {response.status_code} - {response.text}"
            influxdb3_local.error(error_msg)
            return {"status": "error", "message": error_msg}
        
        # Parse response data
        data = response.json()
        sources = data.get("results", [])
        
        influxdb3_local.info(f"Retrieved {len(sources)} sources from Kapa.ai")
        
        # Process and write each source to the database
        sources_data = []
        for source in sources:
            source_id = source.get("id")
            source_name = source.get("name", "")
            source_type = source.get("type", "")
            
            # Process ingested_at timestamp
            ingested_at = source.get("ingested_at")
            if ingested_at:
                try:
                    # Parse ISO format timestamp with timezone
                    dt = datetime.fromisoformat(ingested_at.replace("Z", "+00:00"))
                    timestamp_ns = int(dt.timestamp() * 1_000_000_000)
                    
                    # Write ingested_at data point using the actual timestamp
                    line = LineBuilder("kapa_source")
                    line.tag("project_id", project_id)
                    line.tag("source_id", source_id)
                    line.tag("source_name", source_name)
                    line.tag("source_type", source_type)
                    line.tag("event_type", "ingestion")
                    
                    # Add fields with the timestamp components
                    line.int64_field("timestamp_unix", int(dt.timestamp()))
                    line.string_field("timezone", dt.tzinfo.tzname(dt))
                    line.int64_field("occurred", 1)  # Required field
                    
                    # Set the timestamp for the data point
                    line.time_ns(timestamp_ns)
                    
                    influxdb3_local.write(line)
                    
                except Exception as e:
                    influxdb3_local.warn(f"Error processing ingested_at for source {source_id}: {str(e)}")
            
            # Process next_run_at timestamp
            next_run_at = source.get("next_run_at")
            if next_run_at:
                try:
                    # Parse ISO format timestamp with timezone
                    dt = datetime.fromisoformat(next_run_at.replace("Z", "+00:00"))
                    timestamp_ns = int(dt.timestamp() * 1_000_000_000)
                    
                    # Write next_run_at data point using the actual timestamp
                    line = LineBuilder("kapa_source")
                    line.tag("project_id", project_id)
                    line.tag("source_id", source_id)
                    line.tag("source_name", source_name)
                    line.tag("source_type", source_type)
                    line.tag("event_type", "scheduled_run")
                    
                    # Add fields with the timestamp components
                    line.int64_field("timestamp_unix", int(dt.timestamp()))
                    line.string_field("timezone", dt.tzinfo.tzname(dt))
                    line.int64_field("scheduled", 1)  # Required field
                    
                    # Set the timestamp for the data point
                    line.time_ns(timestamp_ns)
                    
                    influxdb3_local.write(line)
                    
                except Exception as e:
                    influxdb3_local.warn(f"Error processing next_run_at for source {source_id}: {str(e)}")
            
            # Add source info to the returned data
            sources_data.append({
                "id": source_id,
                "name": source_name,
                "type": source_type,
                "ingested_at": ingested_at,
                "next_run_at": next_run_at
            })
        
        return {
            "status": "success",
            "project_id": project_id,
            "integration_id": integration_id,
            "source_count": len(sources),
            "sources": sources_data
        }
            
    except Exception as e:
        error_msg = f"Error collecting Kapa data: {str(e)}"
        influxdb3_local.error(error_msg)
        return {"status": "error", "message": error_msg}
