-- Every scored customer maps to exactly one segment of the seed, and the mart
-- carries that segment.
with

customer_rfm as (

    select * from {{ ref('customer_rfm') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

matches as (

    select
        customer_rfm.customer_id,
        customer_rfm.segment,
        count(segment_map.segment) as segment_matches,
        max(segment_map.segment) as mapped_segment

    from customer_rfm
    left join segment_map
        on customer_rfm.rfm_code = segment_map.rfm_code
    group by customer_rfm.customer_id, customer_rfm.segment

),

final as (

    select * from matches
    where
        segment_matches != 1
        or segment is null
        or segment != mapped_segment

)

select * from final
