-- High predicted value slipping away: top CLV deciles whose P(alive) fell below a threshold.
with

clv as (

    select * from {{ ref('stg_clv__customer_clv') }}

),

members as (

    select customer_id from clv
    where
        clv_decile >= {{ var('clv_high_value_min_decile', 9) }}
        and p_alive < {{ var('clv_at_risk_p_alive', 0.5) }}

),

final as (

    {{ clv_segment_members() }}

)

select * from final
